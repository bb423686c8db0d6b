using System.Text;
using Camrelizumab.Safety.Core.Tests.Aggregation;
using Camrelizumab.Safety.Runner.Demo;
using Camrelizumab.Safety.Runner.Hosting;
using Camrelizumab.Safety.Storage.Pipeline;
using Camrelizumab.Safety.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Camrelizumab.Safety.Runner.Tests;

/// <summary>The demo data through the runner: the evaluation on kept facts equals the full recompute at every step.</summary>
public sealed class DemoSubjectFactsTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DemoData_EvaluationOnKeptFacts_EqualsFullRecompute_ThroughIngestAndCoding()
    {
        // Arrange
        var settings = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:NameSuffix"] = AzuriteFixture.NewSuffix(),
        };
        await using var runtime = await SafetyRuntime.StartAsync(settings, LogLevel.Warning, Ct, new FakeTimeProvider(Now));
        var data = DemoDataset.Generate(DateOnly.FromDateTime(Now.UtcDateTime));
        var snapshot = runtime.Services.GetRequiredService<SnapshotReader>();
        var queries = runtime.Services.GetRequiredService<ResolveQueries>();
        await Upload(runtime, "site-bj01/roster.csv", data.Roster);
        await Upload(runtime, "site-bj01/ae-export.csv", data.AdverseEvents);

        // Act and assert: after ingest, after a coder decision on the demo's uncoded verbatim, and after its revocation.
        await runtime.Watcher.DrainAsync(Ct);
        var ingested = await AssertSameAsync(snapshot, "after ingest");
        await queries.AssignAsync(DemoDataset.UncodedVerbatim, DemoDataset.UncodedAssignedTerm, "coder", "reviewed", Ct);
        var coded = await AssertSameAsync(snapshot, "after the coder decision");
        await queries.RevokeAsync(DemoDataset.UncodedVerbatim, "coder", "re-opened", Ct);
        var revoked = await AssertSameAsync(snapshot, "after the revocation");

        Assert.True(ingested.DataQueries.EventsAwaitingCoding > coded.DataQueries.EventsAwaitingCoding);
        Assert.Equal(ingested.EvaluationId, revoked.EvaluationId);
        Assert.Contains(ingested.Evaluations, e => e.Status == Core.Stopping.RuleStatus.Crossed);
    }

    private static async Task<Core.Aggregation.SafetyEvaluation> AssertSameAsync(SnapshotReader snapshot, string when)
    {
        var asOf = DateOnly.FromDateTime(Now.UtcDateTime);
        var incremental = await snapshot.EvaluateAsync(asOf, Ct);
        var full = (await snapshot.ReadAsync(asOf, Ct)).Evaluation;
        Assert.True(EvaluationText.Describe(full) == EvaluationText.Describe(incremental), $"{when}: the evaluation on kept facts differs from the full recompute");
        return incremental;
    }

    private static async Task Upload(SafetyRuntime runtime, string name, string content) =>
        await runtime.Store.Inbox.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(Encoding.UTF8.GetBytes(content)), overwrite: true, Ct);
}
