using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Camrelizumab.Safety.Storage;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.Services.AddApplicationInsightsTelemetryWorkerService().ConfigureFunctionsApplicationInsights();

// The pipeline's own clients use the same connection as the blob trigger: identity-based in Azure (SafetyStorage__*),
// a connection string for a local host against Azurite (SafetyStorage).
var storage = builder.Configuration.GetSection("SafetyStorage");
if (!string.IsNullOrEmpty(storage.Value))
{
    builder.Services.AddSingleton(new BlobServiceClient(storage.Value));
    builder.Services.AddSingleton(new TableServiceClient(storage.Value));
}
else
{
    TokenCredential credential = new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(storage["clientId"]));
    builder.Services.AddSingleton(new BlobServiceClient(new Uri(storage["blobServiceUri"]!), credential));
    builder.Services.AddSingleton(new TableServiceClient(new Uri(storage["tableServiceUri"]!), credential));
}
builder.Services.AddSafetyPipeline(builder.Configuration);

var app = builder.Build();
app.Services.ValidateSafetyPipeline();
app.Run();
