using System.Text.Json;

namespace Camrelizumab.Safety.Infra.Tests;

public sealed class BicepTemplateTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Templates => new(
        ["main.bicep", "eventgrid.bicep", "names.bicep", .. Directory.GetFiles(Path.Combine(Bicep.InfraDirectory, "modules"), "*.bicep").Select(f => "modules/" + Path.GetFileName(f)).Order()]);

    /// <summary>A build runs every linter rule of infra/bicepconfig.json, each set to error, so this is the lint too.</summary>
    [Theory]
    [MemberData(nameof(Templates))]
    public async Task Build_SucceedsWithNoDiagnostics_WithEveryLinterRuleAnError(string template)
    {
        var (exit, _, diagnostics) = await Bicep.BuildAsync(template);

        Assert.True(exit == 0, diagnostics);
        Assert.Equal("", diagnostics.Trim());
    }

    [Theory]
    [InlineData("main.bicepparam")]
    [InlineData("main.redeploy.bicepparam")]
    [InlineData("eventgrid.bicepparam")]
    public async Task Snapshot_MatchesTheCommittedPrediction(string parameters)
    {
        var (exit, output) = await Bicep.RunAsync(Bicep.SmtpPasswordFor(parameters), ["snapshot", parameters, "--mode", "validate", .. Bicep.SnapshotScope], Ct);

        Assert.True(exit == 0, $"The predicted resources changed; review, then run `SMTP_PASSWORD={Bicep.SmtpPasswordFor(parameters)} bicep snapshot {parameters} --mode overwrite` with the scope in Bicep.cs:\n{output}");
    }

    [Fact]
    public void Snapshot_HasEveryResourceTheDeploymentNeeds()
    {
        var resources = Snapshot("main.snapshot.json");
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
            ["ae-archive", "ae-inbox", "ae-inbox-deadletter", "ae-quarantine", "app-package", "coding-decisions", "dsmb-closed", "dsmb-open", "evaluation-inputs", "ingest-reports"],
            Names("Microsoft.Storage/storageAccounts/blobServices/containers").Order());
        Assert.Equal(["default"], Names("Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies"));
        Assert.Contains(resources, r => r.GetProperty("name").GetString()!.EndsWith("/ae-archive/default", StringComparison.Ordinal));
        Assert.Equal(["AdverseEventHistory", "AdverseEventQualifiers", "AdverseEvents", "AlertLedger", "ArmAggregates", "CodingDecisions", "FileLedger", "RuleEvaluations", "SubjectFacts", "Subjects"], Names("Microsoft.Storage/storageAccounts/tableServices/tables").Order());
        Assert.Single(Names("Microsoft.ManagedIdentity/userAssignedIdentities"));
        Assert.Single(Names("Microsoft.OperationalInsights/workspaces"));
        Assert.Single(Names("Microsoft.Insights/components"));
        Assert.Single(Names("Microsoft.KeyVault/vaults"));
        Assert.Equal(["smtp-password"], Names("Microsoft.KeyVault/vaults/secrets"));
        var topic = Assert.Single(resources, r => r.GetProperty("type").GetString() == "Microsoft.EventGrid/systemTopics");
        Assert.Equal("SystemAssigned", topic.GetProperty("identity").GetProperty("type").GetString());
    }

    [Fact]
    public void Redeployment_NeverPutsTheLockedArchivePolicy_NorBlanksTheSmtpSecret()
    {
        static bool Has(List<JsonElement> resources, string type) => resources.Any(r => r.GetProperty("type").GetString() == type);
        var first = Snapshot("main.snapshot.json");
        var again = Snapshot("main.redeploy.snapshot.json");

        Assert.True(Has(first, "Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies"));
        Assert.True(Has(first, "Microsoft.KeyVault/vaults/secrets"));
        Assert.False(Has(again, "Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies"));
        Assert.False(Has(again, "Microsoft.KeyVault/vaults/secrets"));
        // Everything else is deployed again as it was.
        Assert.Equal(first.Count - 2, again.Count);
    }

    [Fact]
    public void EventSubscription_ReadsTheBlobExtensionKeyItself_AndDeadLettersWithItsOwnIdentity()
    {
        var subscriptions = Snapshot("eventgrid.snapshot.json").ToList();
        Assert.All(subscriptions, s => Assert.Equal("Microsoft.EventGrid/systemTopics/eventSubscriptions", s.GetProperty("type").GetString()));

        // Coder decisions dropped as files reach their own trigger the same way.
        var decisions = Assert.Single(subscriptions, s => s.GetProperty("name").GetString()!.EndsWith("/coding-decisions-to-apply", StringComparison.Ordinal)).GetProperty("properties");
        Assert.Equal("/blobServices/default/containers/coding-decisions/", decisions.GetProperty("filter").GetProperty("subjectBeginsWith").GetString());
        Assert.Contains("functionName=Host.Functions.ApplyCodingDecisions&code=", decisions.GetProperty("destination").GetProperty("properties").GetProperty("endpointUrl").GetString()!, StringComparison.Ordinal);

        var subscription = Assert.Single(subscriptions, s => s.GetProperty("name").GetString()!.EndsWith("/ae-inbox-to-ingest", StringComparison.Ordinal));
        var properties = subscription.GetProperty("properties");
        var filter = properties.GetProperty("filter");
        Assert.Equal("/blobServices/default/containers/ae-inbox/", filter.GetProperty("subjectBeginsWith").GetString());
        Assert.Equal(["Microsoft.Storage.BlobCreated"], filter.GetProperty("includedEventTypes").EnumerateArray().Select(e => e.GetString()));
        var endpoint = properties.GetProperty("destination").GetProperty("properties").GetProperty("endpointUrl").GetString()!;
        Assert.Contains("/providers/Microsoft.Web/sites/func-camsafety-prod/host/default', '2024-04-01').systemKeys.blobs_extension", endpoint, StringComparison.Ordinal);
        Assert.Contains("functionName=Host.Functions.IngestAdverseEventExport&code=", endpoint, StringComparison.Ordinal);

        var deadLetter = properties.GetProperty("deadLetterWithResourceIdentity");
        Assert.Equal("SystemAssigned", deadLetter.GetProperty("identity").GetProperty("type").GetString());
        var destination = deadLetter.GetProperty("deadLetterDestination");
        Assert.Equal("StorageBlob", destination.GetProperty("endpointType").GetString());
        Assert.Equal("ae-inbox-deadletter", destination.GetProperty("properties").GetProperty("blobContainerName").GetString());

        // The topic's identity may write there (main deploys the role before the subscription exists).
        var role = Assert.Single(Assignments(Snapshot("main.snapshot.json")), a => a.Scope.EndsWith("/containers/ae-inbox-deadletter", StringComparison.Ordinal));
        Assert.Equal(BlobContributor, role.Role);
        Assert.Contains("Microsoft.EventGrid/systemTopics/", role.Principal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FunctionApp_IsDeployedAfterItsRoleAssignments()
    {
        var template = await Bicep.CompiledAsync("main.bicep");

        var resources = template.GetProperty("resources");
        var app = resources.ValueKind == JsonValueKind.Object
            ? resources.GetProperty("app")
            : resources.EnumerateArray().Single(r => r.GetProperty("name").GetString() == "functionapp");
        var dependsOn = app.GetProperty("dependsOn").EnumerateArray().Select(d => d.GetString()!).ToList();
        Assert.Contains(dependsOn, d => d == "roles" || d.Contains("'Microsoft.Resources/deployments', 'roles')", StringComparison.Ordinal));
    }

    [Fact]
    public async Task KeyVault_SuffixGivesANewName_AndRecoverRecoversTheDeletedVault()
    {
        var file = $"main.kv-{Guid.NewGuid():N}.bicepparam";
        var parameters = Path.Combine(Bicep.InfraDirectory, file);
        var snapshot = Path.ChangeExtension(parameters, ".snapshot.json");
        await File.WriteAllTextAsync(parameters, (await File.ReadAllTextAsync(Path.Combine(Bicep.InfraDirectory, "main.bicepparam"), Ct)) + "param keyVaultSuffix = 'r2'\nparam keyVaultRecover = true\n", Ct);
        try
        {
            var (exit, output) = await Bicep.RunAsync("", ["snapshot", file, "--mode", "overwrite", .. Bicep.SnapshotScope], Ct);
            Assert.True(exit == 0, output);
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(snapshot, Ct));
            var vault = json.RootElement.GetProperty("predictedResources").EnumerateArray().Single(r => r.GetProperty("type").GetString() == "Microsoft.KeyVault/vaults");
            var original = Snapshot("main.snapshot.json").Single(r => r.GetProperty("type").GetString() == "Microsoft.KeyVault/vaults");

            Assert.NotEqual(original.GetProperty("name").GetString(), vault.GetProperty("name").GetString());
            Assert.Equal("recover", vault.GetProperty("properties").GetProperty("createMode").GetString());
            Assert.Equal("default", original.GetProperty("properties").GetProperty("createMode").GetString());
        }
        finally
        {
            File.Delete(parameters);
            File.Delete(snapshot);
        }
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

    private const string BlobOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string BlobReader = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1";
    private const string BlobContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    private const string QueueContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string TableContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string SecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
    private const string MetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";

    [Fact]
    public void Snapshot_RoleAssignmentsAreTheNarrowestThatWork()
    {
        var assignments = Assignments(Snapshot("main.snapshot.json"));
        const string Dsmb = "11111111-1111-1111-1111-111111111111";
        const string StudyTeam = "22222222-2222-2222-2222-222222222222";
        const string DataManagers = "33333333-3333-3333-3333-333333333333";
        const string Operators = "44444444-4444-4444-4444-444444444444";
        string[] For(string principal) => [.. assignments.Where(a => a.Principal == principal).Select(a => $"{a.Role} {a.Scope.Split('/')[^1]}").Order()];

        Assert.Equal(15, assignments.Count);
        Assert.Equal(
            [BlobOwner, QueueContributor, TableContributor, SecretsUser, MetricsPublisher],
            assignments.Where(a => a.Type == "ServicePrincipal" && a.Principal.Contains("userAssignedIdentities", StringComparison.Ordinal)).Select(a => a.Role));

        // Closed reports: the DSMB group reads dsmb-closed only; the study team reads dsmb-open only.
        Assert.Equal([$"{BlobReader} dsmb-closed"], For(Dsmb));
        Assert.Equal([$"{BlobReader} dsmb-open"], For(StudyTeam));
        // Data managers write ae-inbox (and, as coders, coding-decisions) and read what became of their files; no report with arms in it.
        Assert.Equal([$"{BlobReader} ae-quarantine", $"{BlobReader} ingest-reports", $"{BlobContributor} ae-inbox", $"{BlobContributor} coding-decisions"], For(DataManagers));
        // Operators: the tables (ack, deletions confirm, rules recompute, report), the archive and the evaluation inputs.
        Assert.Equal([$"{TableContributor} stcamsafetyprodfoancwso7", $"{BlobReader} ae-archive", $"{BlobReader} evaluation-inputs"], For(Operators));
    }

    private static List<(string Role, string Scope, string Type, string Principal)> Assignments(List<JsonElement> resources) =>
        [.. resources
            .Where(r => r.GetProperty("type").GetString() == "Microsoft.Authorization/roleAssignments")
            .Select(r => (
                Role: r.GetProperty("properties").GetProperty("roleDefinitionId").GetString()!.Split('/')[^1],
                Scope: r.GetProperty("id").GetString()!.Split("/providers/Microsoft.Authorization/")[0],
                Type: r.GetProperty("properties").GetProperty("principalType").GetString()!,
                Principal: r.GetProperty("properties").GetProperty("principalId").GetString()!))];

    internal static List<JsonElement> Snapshot(string file)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Bicep.InfraDirectory, file)));
        return [.. json.RootElement.GetProperty("predictedResources").EnumerateArray().Select(e => e.Clone())];
    }
}
