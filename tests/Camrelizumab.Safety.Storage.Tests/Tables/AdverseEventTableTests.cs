using Camrelizumab.Safety.Core.AdverseEvents;
using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Camrelizumab.Safety.Storage.Tests.Tables;

public sealed class AdverseEventTableTests(AzuriteFixture azurite)
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static AdverseEvent Fatigue(string aeId, int grade, long line) => new()
    {
        StudyId = "CAMREL-RT-EC2",
        SubjectId = "BJ01-001",
        AeId = aeId,
        Term = CtcaeDictionary.V5.Find("Fatigue"),
        Grade = new CtcaeGrade(grade),
        Source = new SourceReference("ae.csv", "sha", line),
    };

    [Fact]
    public async Task UpsertAsync_OneKeyTwiceInOneChunk_KeepsBothAsSuccessiveVersions()
    {
        // Arrange: AE 2 twice among ten events of one subject, fewer than a batch.
        var store = await azurite.CreateStoreAsync(_time, Ct);
        var events = Enumerable.Range(1, 10).Select(i => Fatigue(i.ToString(System.Globalization.CultureInfo.InvariantCulture), 1, i + 1)).Append(Fatigue("2", 3, 12)).ToList();

        // Act
        var counts = await store.AdverseEvents.UpsertAsync(events, _time.GetUtcNow(), _time.GetUtcNow(), Ct);

        // Assert: no refused batch; AE 2 has version 1 (grade 1, line 3) and version 2 (grade 3, line 12).
        Assert.Equal((10, 1), (counts.Inserted, counts.Updated));
        var (versions, deleted) = await store.AdverseEvents.ReadHistoryAsync("CAMREL-RT-EC2", "BJ01-001", "2", Ct);
        Assert.Equal([(1, 3L), (3, 12L)], versions.Select(v => (v.Grade.Value, v.Source.Line)));
        Assert.False(deleted);
    }

    [Fact]
    public async Task RevertFileAsync_TwiceOrAfterALaterFile_ChangesNothingMore()
    {
        // Arrange: file A inserts AE 1 and 2; file B updates both; a later file C updates AE 2 again.
        var store = await azurite.CreateStoreAsync(_time, Ct);
        var at = _time.GetUtcNow();
        await store.AdverseEvents.UpsertAsync([Fatigue("1", 1, 2), Fatigue("2", 1, 3)], at, at, Ct);
        await store.AdverseEvents.UpsertAsync([Fatigue("1", 2, 2) with { Source = new("b.csv", "shaB", 2) }, Fatigue("2", 2, 3) with { Source = new("b.csv", "shaB", 3) }], at, at, Ct);
        await store.AdverseEvents.UpsertAsync([Fatigue("2", 3, 2) with { Source = new("c.csv", "shaC", 2) }], at, at, Ct);

        // Act: file B ends quarantined; the revert is repeated (a retried quarantine).
        var first = await store.AdverseEvents.RevertFileAsync("shaB", "b.csv", at, Ct);
        var second = await store.AdverseEvents.RevertFileAsync("shaB", "b.csv", at, Ct);

        // Assert: AE 1 is back at A's grade as version 3; AE 2 keeps C's version, which B no longer holds.
        Assert.Equal((1, 0), (first, second));
        var live = (await store.AdverseEvents.ReadAllAsync(Ct)).OrderBy(e => e.AeId, StringComparer.Ordinal).Select(e => (e.AeId, e.Grade.Value, e.Source.FileName));
        Assert.Equal([("1", 1, "ae.csv"), ("2", 3, "c.csv")], live);
        var (versions, _) = await store.AdverseEvents.ReadHistoryAsync("CAMREL-RT-EC2", "BJ01-001", "1", Ct);
        Assert.Equal([1, 2, 1], versions.Select(v => v.Grade.Value));
    }
}
