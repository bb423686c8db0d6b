using System.Globalization;
using Camrelizumab.Safety.Core.AdverseEvents;
using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Storage.Tables;

namespace Camrelizumab.Safety.Storage.Tests.Tables;

public sealed class EventSpillTests
{
    [Theory]
    [InlineData(1, 1, 60)]
    [InlineData(2_000, 37, 60)]
    [InlineData(2_000, 100_000, 60)]
    [InlineData(3_000, 1, 400)]
    public async Task Slices_HoldEveryEventOnce_AsWritten_WholePartitionsInKeyOrder(int events, int sliceRows, int subjects)
    {
        // Arrange: events of 60 subjects in random order (400 for up to 400 slices: the spill is cut into 16 files, each
        // of those into 16, and those again), with every kind of value the spill keeps, and verbatims long enough (up
        // to 40,000 characters) that the spill's file holds several blocks.
        var random = new Random(16_041);
        var added = Enumerable.Range(0, events).Select(i => new AdverseEvent
        {
            StudyId = "CAMREL-RT-EC2",
            SubjectId = string.Create(CultureInfo.InvariantCulture, $"BJ01-{random.Next(subjects):D3}/é"),
            AeId = i.ToString(CultureInfo.InvariantCulture),
            VerbatimTerm = i % 97 == 0 ? new string('长', random.Next(40_000)) : $"Fatigue {i}",
            Term = i % 5 == 0 ? null : CtcaeDictionary.V5.Find("Fatigue"),
            CodingConfidence = random.NextDouble(),
            Grade = new CtcaeGrade(1 + random.Next(5)),
            Serious = random.Next(3) switch { 0 => null, 1 => true, _ => false },
            Onset = PartialDate.From(new DateOnly(2026, 1, 1).AddDays(random.Next(300))),
            Source = new SourceReference("ae.csv", "sha", 2L + i + (i % 3 == 0 ? int.MaxValue : 0)),
            Origin = "edc",
        }).ToList();
        await using var spill = new EventSpill(sliceRows);
        foreach (var e in added)
        {
            spill.Add(e);
        }

        // Act
        var slices = spill.Slices().ToList();

        // Assert: the same entities, property by property; slices in key order, no partition split, none over the limit
        // unless it is one partition.
        var back = slices.SelectMany(s => s.Entities).ToList();
        Assert.Equal(added.Count, back.Count);
        var expected = added.Select(AdverseEventTable.ToEntity).ToDictionary(e => e.RowKey, Describe);
        Assert.All(back, e => Assert.Equal(expected[e.RowKey], Describe(e)));
        var keys = slices.Select(s => s.Entities.Select(e => e.PartitionKey).Distinct().ToList()).ToList();
        Assert.Equal(keys.SelectMany(k => k).Count(), keys.SelectMany(k => k).Distinct().Count());
        Assert.Equal(keys.SelectMany(k => k).Order(StringComparer.Ordinal), keys.SelectMany(k => k.Order(StringComparer.Ordinal)));
        Assert.All(slices, s => Assert.True(s.Entities.Count <= sliceRows || s.Entities.Select(e => e.PartitionKey).Distinct().Count() == 1));
        Assert.All(slices.SkipLast(1), s => Assert.Equal(s.Entities.Select(e => e.PartitionKey).Max(StringComparer.Ordinal), s.Through));
        Assert.Null(slices[^1].Through);
    }

    private static string Describe(Azure.Data.Tables.TableEntity entity) =>
        string.Join("|", entity.Keys.Order(StringComparer.Ordinal).Select(k => $"{k}={entity[k]?.GetType().Name}:{Convert.ToString(entity[k], CultureInfo.InvariantCulture)}"));
}
