using System.Text.Json;
using Camrelizumab.Safety.Storage;
using Camrelizumab.Safety.Storage.Pipeline;

namespace Camrelizumab.Safety.Functions.Tests;

/// <summary>
/// What the Functions host will read (functions.metadata, extensions.json, host.json) against what Bicep deploys and the
/// names in Storage: a mismatch here is a function that never fires in Azure.
/// </summary>
public sealed class MetadataTests(PublishedApp published)
{
    private static readonly StorageNames Names = new("");

    public static TheoryData<string> Outputs => new() { "build", "publish" };

    [Theory]
    [MemberData(nameof(Outputs))]
    public void FunctionsMetadata_NamesEveryFunctionWithTheBindingsBicepServes(string output)
    {
        var functions = Functions(Directory(output));
        var settings = BicepAppSettings();

        Assert.Equal(
            ["ApplyCodingDecisions", "DeliverOutbox", nameof(EvaluateStoppingRules), nameof(IngestAdverseEventExport), nameof(PublishDsmbSummary), nameof(ReconcileInbox), nameof(ReportPoisonedBlob)],
            functions.Keys.Order(StringComparer.Ordinal));

        // Blob trigger: ae-inbox through Event Grid on the SafetyStorage connection, whose identity-based settings Bicep sets.
        var blob = Binding(functions, nameof(Storage.Pipeline.IngestAdverseEventExport), "blobTrigger");
        Assert.Equal($"{Names.Inbox}/{{name}}", blob.GetProperty("path").GetString());
        Assert.Equal("EventGrid", blob.GetProperty("source").GetString());
        var connection = blob.GetProperty("connection").GetString();
        Assert.Equal(SafetyFunctionsHost.StorageConnection, connection);
        Assert.All(["blobServiceUri", "queueServiceUri", "tableServiceUri", "credential", "clientId"], key => Assert.Contains($"{connection}__{key}", settings));

        // The poison-queue watcher: the queue the blob trigger poisons into, on the same connection.
        var poison = Binding(functions, nameof(ReportPoisonedBlob), "queueTrigger");
        Assert.Equal("webjobs-blobtrigger-poison", poison.GetProperty("queueName").GetString());
        Assert.Equal(connection, poison.GetProperty("connection").GetString());

        // Timers: each schedule is an app-setting reference Bicep sets.
        foreach (var (name, setting) in new[]
        {
            (nameof(EvaluateStoppingRules), EvaluateStoppingRulesFunction.ScheduleSetting),
            (nameof(PublishDsmbSummary), PublishDsmbSummaryFunction.ScheduleSetting),
            (nameof(ReconcileInbox), ReconcileInboxFunction.ScheduleSetting),
            ("DeliverOutbox", DeliverOutboxFunction.ScheduleSetting),
        })
        {
            Assert.Equal($"%{setting}%", Binding(functions, name, "timerTrigger").GetProperty("schedule").GetString());
            Assert.Contains(setting, settings);
        }
    }

    [Theory]
    [MemberData(nameof(Outputs))]
    public void ExtensionsJson_LoadsTheBlobExtensionFromAzureFunctionsFolder(string output)
    {
        var directory = Directory(output);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "extensions.json")));
        var extensions = json.RootElement.GetProperty("extensions").EnumerateArray().ToList();

        Assert.Single(extensions, e => e.GetProperty("name").GetString() == "AzureStorageBlobs");
        Assert.Single(extensions, e => e.GetProperty("name").GetString() == "AzureStorageQueues");
        Assert.All(extensions, e => Assert.StartsWith("./.azurefunctions/", e.GetProperty("hintPath").GetString(), StringComparison.Ordinal));
        Assert.All(extensions, e => Assert.True(File.Exists(Path.Combine(directory, e.GetProperty("hintPath").GetString()!)), $"{e.GetProperty("hintPath")} is not in the {output} output."));
    }

    [Fact]
    public void EventGridSubscription_DeliversAeInboxBlobCreatedToTheBlobTriggerFunction()
    {
        var functions = Functions(FunctionsApp.OutputDirectory);
        var subscriptions = FunctionsApp.Snapshot("eventgrid.snapshot.json").Where(r => r.GetProperty("type").GetString() == "Microsoft.EventGrid/systemTopics/eventSubscriptions").ToList();

        // Each subscription's container is the path of the blob trigger it calls, and that trigger takes Event Grid events.
        Assert.Equal([Names.Inbox, Names.CodingDecisionsInbox], subscriptions.Select(s => s.GetProperty("properties").GetProperty("filter").GetProperty("subjectBeginsWith").GetString()!.Split('/')[^2]).Order(StringComparer.Ordinal));
        foreach (var properties in subscriptions.Select(s => s.GetProperty("properties")))
        {
            var filter = properties.GetProperty("filter");
            Assert.Equal(["Microsoft.Storage.BlobCreated"], filter.GetProperty("includedEventTypes").EnumerateArray().Select(e => e.GetString()));
            var container = filter.GetProperty("subjectBeginsWith").GetString()!.Split('/')[^2];
            var endpoint = properties.GetProperty("destination").GetProperty("properties").GetProperty("endpointUrl").GetString()!;
            var function = Assert.Single(functions.Keys, name => endpoint.Contains($"functionName=Host.Functions.{name}&", StringComparison.Ordinal));
            var trigger = Binding(functions, function, "blobTrigger");
            Assert.Equal("EventGrid", trigger.GetProperty("source").GetString());
            Assert.Equal($"{container}/{{name}}", trigger.GetProperty("path").GetString());
        }
    }

    [Fact]
    public void PublishOutput_HasTheFlexZipDeployLayout()
    {
        var root = published.Directory;

        Assert.True(File.Exists(Path.Combine(root, "functions.metadata")));
        Assert.True(File.Exists(Path.Combine(root, "host.json")));
        Assert.True(File.Exists(Path.Combine(root, "worker.config.json")));
        Assert.True(File.Exists(Path.Combine(root, "Camrelizumab.Safety.Functions.dll")));
        Assert.True(System.IO.Directory.Exists(Path.Combine(root, ".azurefunctions")));
        Assert.NotEmpty(System.IO.Directory.GetFiles(Path.Combine(root, ".azurefunctions"), "*.dll"));
        Assert.False(File.Exists(Path.Combine(root, "local.settings.json")));

        using var worker = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "worker.config.json")));
        var description = worker.RootElement.GetProperty("description");
        Assert.Equal("dotnet-isolated", description.GetProperty("language").GetString());
        Assert.Equal("Camrelizumab.Safety.Functions.dll", Path.GetFileName(description.GetProperty("defaultWorkerPath").GetString()));
    }

    [Fact]
    public void HostJson_QuarantinesBeforeTheHostPoisonsABlob()
    {
        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(published.Directory, "host.json")), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        var threshold = host.RootElement.GetProperty("extensions").GetProperty("blobs").GetProperty("poisonBlobThreshold").GetInt32();

        // The ingest step quarantines on its MaxAttempts-th counted delivery; the host must still be delivering then.
        Assert.True(threshold > new Storage.Pipeline.IngestOptions().MaxAttempts, $"poisonBlobThreshold {threshold} must exceed Ingest:MaxAttempts {new Storage.Pipeline.IngestOptions().MaxAttempts}.");
    }

    [Fact]
    public void HostJson_NeverSamplesExceptions_AndLogsInformation()
    {
        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(published.Directory, "host.json")), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        var logging = host.RootElement.GetProperty("logging");

        var sampling = logging.GetProperty("applicationInsights").GetProperty("samplingSettings");
        Assert.Contains("Exception", sampling.GetProperty("excludedTypes").GetString()!.Split(';'));
        Assert.Equal("Information", logging.GetProperty("logLevel").GetProperty("default").GetString());
        Assert.Equal("Information", logging.GetProperty("logLevel").GetProperty("Function").GetString());
    }

    private string Directory(string output) => output == "publish" ? published.Directory : FunctionsApp.OutputDirectory;

    private static Dictionary<string, JsonElement> Functions(string directory)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "functions.metadata")));
        return json.RootElement.EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => f.Clone());
    }

    private static JsonElement Binding(Dictionary<string, JsonElement> functions, string function, string type) =>
        Assert.Single(functions[function].GetProperty("bindings").EnumerateArray(), b => b.GetProperty("type").GetString() == type);

    private static List<string> BicepAppSettings() =>
        [.. FunctionsApp.Snapshot("main.snapshot.json").Single(r => r.GetProperty("type").GetString() == "Microsoft.Web/sites/config")
            .GetProperty("properties").EnumerateObject().Select(p => p.Name)];
}
