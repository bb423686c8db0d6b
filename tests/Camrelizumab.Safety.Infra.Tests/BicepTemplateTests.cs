using System.Text.Json;

namespace Camrelizumab.Safety.Infra.Tests;

public sealed class BicepTemplateTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Templates => new(
        ["main.bicep", .. Directory.GetFiles(Path.Combine(Bicep.InfraDirectory, "modules"), "*.bicep").Select(f => "modules/" + Path.GetFileName(f)).Order()]);

    [Theory]
    [MemberData(nameof(Templates))]
    public async Task Build_SucceedsWithNoDiagnostics(string template)
    {
        var (exit, output) = await Bicep.RunAsync(Ct, "build", template, "--stdout");

        Assert.Equal(0, exit);
        Assert.DoesNotContain("Warning", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Error", output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public async Task Lint_ReportsNothing_WithEveryRuleAnError(string template)
    {
        var (exit, output) = await Bicep.RunAsync(Ct, "lint", template);

        Assert.Equal(0, exit);
        Assert.Equal("", output.Trim());
    }

    [Theory]
    [InlineData("main.bicepparam")]
    [InlineData("main.eventgrid.bicepparam")]
    public async Task Snapshot_MatchesTheCommittedPrediction(string parameters)
    {
        var (exit, output) = await Bicep.RunAsync(Ct, ["snapshot", parameters, "--mode", "validate", .. Bicep.SnapshotScope]);

        Assert.True(exit == 0, $"The predicted resources changed; review, then run `bicep snapshot {parameters} --mode overwrite` with the scope in Bicep.cs:\n{output}");
    }

    [Fact]
    public void Snapshot_HasEveryResourceTheDeploymentNeeds()
    {
        var resources = Snapshot("main.eventgrid.snapshot.json");
        string[] Names(string type) => [.. resources.Where(r => r.GetProperty("type").GetString() == type).Select(r => r.GetProperty("name").GetString()!.Split('/')[^1])];

        var plan = Assert.Single(resources, r => r.GetProperty("type").GetString() == "Microsoft.Web/serverfarms");
        Assert.Equal("FlexConsumption", plan.GetProperty("sku").GetProperty("tier").GetString());

        var site = Assert.Single(resources, r => r.GetProperty("type").GetString() == "Microsoft.Web/sites");
        var config = site.GetProperty("properties").GetProperty("functionAppConfig");
        Assert.Equal("dotnet-isolated", config.GetProperty("runtime").GetProperty("name").GetString());
        Assert.Equal("10.0", config.GetProperty("runtime").GetProperty("version").GetString());
        Assert.True(config.GetProperty("scaleAndConcurrency").GetProperty("maximumInstanceCount").GetInt32() > 0);
        Assert.Equal("UserAssignedIdentity", config.GetProperty("deployment").GetProperty("storage").GetProperty("authentication").GetProperty("type").GetString());
        Assert.Equal("UserAssigned", site.GetProperty("identity").GetProperty("type").GetString());

        var account = Assert.Single(resources, r => r.GetProperty("type").GetString() == "Microsoft.Storage/storageAccounts");
        Assert.False(account.GetProperty("properties").GetProperty("allowSharedKeyAccess").GetBoolean());

        Assert.Equal(
            ["ae-archive", "ae-inbox", "ae-quarantine", "app-package", "dsmb-closed", "dsmb-open", "evaluation-inputs", "ingest-reports"],
            Names("Microsoft.Storage/storageAccounts/blobServices/containers").Order());
        Assert.Equal(["default"], Names("Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies"));
        Assert.Contains(resources, r => r.GetProperty("name").GetString()!.EndsWith("/ae-archive/default", StringComparison.Ordinal));
        Assert.Equal(["AdverseEventHistory", "AdverseEventQualifiers", "AdverseEvents", "AlertLedger", "ArmAggregates", "FileLedger", "RuleEvaluations", "Subjects"], Names("Microsoft.Storage/storageAccounts/tableServices/tables").Order());
        Assert.Single(Names("Microsoft.ManagedIdentity/userAssignedIdentities"));
        Assert.Single(Names("Microsoft.OperationalInsights/workspaces"));
        Assert.Single(Names("Microsoft.Insights/components"));
        Assert.Single(Names("Microsoft.KeyVault/vaults"));
        Assert.Equal(["smtp-password"], Names("Microsoft.KeyVault/vaults/secrets"));
        Assert.Single(Names("Microsoft.EventGrid/systemTopics"));

        var subscription = Assert.Single(resources, r => r.GetProperty("type").GetString() == "Microsoft.EventGrid/systemTopics/eventSubscriptions");
        var filter = subscription.GetProperty("properties").GetProperty("filter");
        Assert.Equal("/blobServices/default/containers/ae-inbox/", filter.GetProperty("subjectBeginsWith").GetString());
        Assert.Equal(["Microsoft.Storage.BlobCreated"], filter.GetProperty("includedEventTypes").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Snapshot_SetsNoSettingFlexConsumptionForbids()
    {
        // Flex Consumption takes runtime, scale and deployment from functionAppConfig and rejects these settings.
        string[] forbidden =
        [
            "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_CONTENTSHARE",
            "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "WEBSITE_NODE_DEFAULT_VERSION", "WEBSITE_MAX_DYNAMIC_APPLICATION_SCALE_OUT",
            "SCM_DO_BUILD_DURING_DEPLOYMENT", "ENABLE_ORYX_BUILD", "AzureWebJobsStorage",
        ];
        var resources = Snapshot("main.snapshot.json");
        var settings = resources.Single(r => r.GetProperty("type").GetString() == "Microsoft.Web/sites/config")
            .GetProperty("properties").EnumerateObject().Select(p => p.Name).ToList();
        var siteConfig = resources.Single(r => r.GetProperty("type").GetString() == "Microsoft.Web/sites").GetProperty("properties").GetProperty("siteConfig");

        Assert.Empty(settings.Intersect(forbidden));
        Assert.False(siteConfig.TryGetProperty("linuxFxVersion", out _));
    }

    [Fact]
    public void Snapshot_RoleAssignmentsAreTheNarrowestThatWork()
    {
        var assignments = Snapshot("main.eventgrid.snapshot.json")
            .Where(r => r.GetProperty("type").GetString() == "Microsoft.Authorization/roleAssignments")
            .Select(r => (
                Role: r.GetProperty("properties").GetProperty("roleDefinitionId").GetString()!.Split('/')[^1],
                Scope: r.GetProperty("id").GetString()!.Split("/providers/Microsoft.Authorization/")[0],
                Type: r.GetProperty("properties").GetProperty("principalType").GetString()))
            .ToList();

        const string BlobOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
        const string BlobReader = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1";
        const string QueueContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
        const string TableContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
        const string SecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
        const string MetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";

        Assert.Equal(7, assignments.Count);
        Assert.Equal(
            [BlobOwner, QueueContributor, TableContributor, SecretsUser, MetricsPublisher],
            assignments.Where(a => a.Type == "ServicePrincipal").Select(a => a.Role));

        // Closed reports: the DSMB group reads dsmb-closed only; the open-report readers read dsmb-open only.
        var readers = assignments.Where(a => a.Role == BlobReader).ToList();
        Assert.Equal(2, readers.Count);
        Assert.All(readers, r => Assert.Equal("Group", r.Type));
        Assert.Single(readers, r => r.Scope.EndsWith("/containers/dsmb-closed", StringComparison.Ordinal));
        Assert.Single(readers, r => r.Scope.EndsWith("/containers/dsmb-open", StringComparison.Ordinal));
    }

    internal static List<JsonElement> Snapshot(string file)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Bicep.InfraDirectory, file)));
        return [.. json.RootElement.GetProperty("predictedResources").EnumerateArray().Select(e => e.Clone())];
    }
}
