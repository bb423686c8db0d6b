using Camrelizumab.Safety.Core.Configuration;
using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Core.Ingest;

namespace Camrelizumab.Safety.Core.Tests.Ingest;

/// <summary>CDISC's internationalisation example: the pilot SDTM AE as Dataset-JSON with Japanese verbatim terms,
/// placeholder MedDRA codes and one AESEQ used twice (TestData/External/DatasetJson/SOURCE.md).</summary>
public sealed class DatasetJsonIngestTests
{
    [Fact]
    public void ReadRows_AccountsForEveryRow_AndRefusesTheReusedAeseq()
    {
        using var table = External.Open("DatasetJson/i18n-cdiscpilot01-ae-ja.json");
        var reader = ExportReader.Open(table, "i18n-ae.json", "sha", SafetyRules.LoadDefaults(), CtcaeDictionary.V5);

        var results = reader.ReadRows().ToList();

        var rejections = results.OfType<RowResult.Rejected>().Select(r => r.Rejection).ToList();
        var byReason = rejections.GroupBy(r => r.ReasonCode).ToDictionary(g => g.Key, g => g.Count());
        TestContext.Current.SendDiagnosticMessage($"i18n AE: {results.Count} rows, {results.Count - rejections.Count} accepted; {string.Join(", ", byReason.Select(p => $"{p.Key} {p.Value}"))}");
        Assert.Equal(1191, reader.RowsRead);
        Assert.Equal(reader.RowsRead, results.Count);

        // 01-701-1047 has AESEQ 4 on records 12 and 15 with different terms: the second is refused, naming the column.
        var conflict = Assert.Single(rejections, r => r.ReasonCode == "conflicting-duplicate-id");
        Assert.Equal((15L, "AESEQ", "4"), (conflict.Line, conflict.Column, conflict.RawValue));

        // Japanese verbatim terms decode intact.
        Assert.Contains(results.OfType<RowResult.AcceptedEvent>(), e => e.Event.VerbatimTerm is { } v && v.Any(c => c is >= '\u3040' and <= '\u30FF' or >= '\u4E00' and <= '\u9FFF'));
    }
}
