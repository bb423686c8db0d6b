using System.Net;
using System.Text;
using Azure.Storage.Blobs;
using Camrelizumab.Safety.Storage.Local;
using Microsoft.Extensions.DependencyInjection;

namespace Camrelizumab.Safety.Functions.Tests;

/// <summary>
/// The identity-based clients ask for their token as SafetyStorage__credential and __clientId say: the user-assigned
/// managed identity, by client id. A loopback listener plays the App Service identity endpoint (IDENTITY_ENDPOINT), the
/// source a Flex Consumption app's managed identity uses.
/// </summary>
[Collection(nameof(CredentialTests))]
[CollectionDefinition(nameof(CredentialTests), DisableParallelization = true)]
public sealed class CredentialTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task IdentityClients_RequestAStorageTokenForTheConfiguredClientId()
    {
        // Arrange: the identity endpoint, and storage on a loopback port where nothing listens.
        var port = DevServices.FreeLoopbackPort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var settings = HostTests.IdentitySettings();
        var storagePort = DevServices.FreeLoopbackPort();
        settings["SafetyStorage__blobServiceUri"] = $"https://127.0.0.1:{storagePort}/";
        var saved = (Environment.GetEnvironmentVariable("IDENTITY_ENDPOINT"), Environment.GetEnvironmentVariable("IDENTITY_HEADER"));
        Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", $"http://127.0.0.1:{port}/msi/token");
        Environment.SetEnvironmentVariable("IDENTITY_HEADER", "test-header");
        try
        {
            using var host = FunctionsApp.Build(settings);
            var blobs = host.Services.GetRequiredService<BlobServiceClient>();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);

            // Act: the first request needs a token; once it has been asked for, the storage call may stop.
            var call = blobs.GetPropertiesAsync(stop.Token);
            var context = await listener.GetContextAsync().WaitAsync(TimeSpan.FromSeconds(30), Ct);
            var query = context.Request.QueryString;
            var header = context.Request.Headers["X-IDENTITY-HEADER"];
            var body = Encoding.UTF8.GetBytes($$"""{"access_token":"test-token","expires_on":"{{DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds()}}","resource":"https://storage.azure.com","token_type":"Bearer"}""");
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(body, Ct);
            context.Response.Close();
            await stop.CancelAsync();
            await Assert.ThrowsAnyAsync<Exception>(() => call);

            // Assert
            Assert.Equal("3f1b8a52-7c1e-4d55-9a0e-2b6c1d4e5f60", query["client_id"]);
            Assert.StartsWith("https://storage.azure.com", query["resource"], StringComparison.Ordinal);
            Assert.Equal("test-header", header);
        }
        finally
        {
            Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", saved.Item1);
            Environment.SetEnvironmentVariable("IDENTITY_HEADER", saved.Item2);
        }
    }
}
