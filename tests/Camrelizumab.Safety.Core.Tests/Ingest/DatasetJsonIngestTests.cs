using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Core.Ingest;
using Camrelizumab.Safety.Core.Stopping;

namespace Camrelizumab.Safety.Core.Tests.Ingest;

/// <summary>CDISC's internationalisation example: the pilot SDTM AE as Dataset-JSON with Japanese verbatim terms,
/// placeholder MedDRA codes and one AESEQ used twice (TestData/External/DatasetJson/SOURCE.md).</summary>
public sealed class DatasetJsonIngestTests
{
    [Fact]
    public void ReadRows_AccountsForEveryRow_AndKeepsTheReusedAeseqWithAQuery()
    {
        using var table = External.Open("DatasetJson/i18n-cdiscpilot01-ae-ja.json");
        var reader = ExportReader.Open(table, "i18n-ae.json", "sha", SafetyRules.LoadDefaults() with { Study = "CDISCPILOT01" }, CtcaeDictionary.V5);

        var results = reader.ReadRows().ToList();

        var rejections = results.OfType<RowResult.Rejected>().Select(r => r.Rejection).ToList();
        var byReason = rejections.GroupBy(r => r.ReasonCode).ToDictionary(g => g.Key, g => g.Count());
        TestContext.Current.SendDiagnosticMessage($"i18n AE: {results.Count} rows, {results.Count - rejections.Count} accepted; {string.Join(", ", byReason.Select(p => $"{p.Key} {p.Value}"))}");
        Assert.Equal(1191, reader.RowsRead);
        Assert.Equal(reader.RowsRead, results.Count);

        // 01-701-1047 has AESEQ 4 on records 12 and 15 with different terms: both are events the site reported, so the
        // second is stored under its own id with a query naming the column.
        var conflict = Assert.Single(results.OfType<RowResult.AcceptedEvent>(), e => e.Event.Queries.Any(q => q.Code == "conflicting-duplicate-id")).Event;
        Assert.Equal((15L, "4.L15"), (conflict.Source.Line, conflict.AeId));
        Assert.Equal(("AESEQ", "4"), conflict.Queries.Single(q => q.Code == "conflicting-duplicate-id") is var q ? (q.Column, q.RawValue) : default);

        // A file of another study is refused row by row, naming the study.
        using var again = External.Open("DatasetJson/i18n-cdiscpilot01-ae-ja.json");
        var wrong = ExportReader.Open(again, "i18n-ae.json", "sha", SafetyRules.LoadDefaults(), CtcaeDictionary.V5).ReadRows().ToList();
        Assert.All(wrong, r => Assert.Equal("wrong-study", Assert.IsType<RowResult.Rejected>(r).Rejection.ReasonCode));

        // Japanese verbatim terms decode intact.
        Assert.Contains(results.OfType<RowResult.AcceptedEvent>(), e => e.Event.VerbatimTerm is { } v && v.Any(c => c is >= '\u3040' and <= '\u30FF' or >= '\u4E00' and <= '\u9FFF'));
    }
}
