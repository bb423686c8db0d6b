using System.Text;
using System.Text.Json;
using Camrelizumab.Safety.Core.Summaries;
using Camrelizumab.Safety.Core.Tabular;

namespace Camrelizumab.Safety.Core.Tests.Summaries;

public sealed class ExportSummarizerTests
{
    /// <summary>
    /// The summarizer remembers how rows read by the text of the cells that decide it; with a SUPPAE file (here one
    /// with no rows) it reads every row in full. Both must give the same summary, rejections and queries, line for line,
    /// on an export whose cells take every kind of value: empty, padded, other case, unreadable, unknown subjects,
    /// short rows.
    /// </summary>
    [Theory]
    [InlineData(SummaryTerms.Export, false)]
    [InlineData(SummaryTerms.Export, true)]
    [InlineData(SummaryTerms.Ctcae, false)]
    [InlineData(SummaryTerms.Ctcae, true)]
    public void Summarize_RememberedReadings_GiveWhatReadingEveryRowGives(SummaryTerms terms, bool seriousOnly)
    {
        // Arrange
        var (roster, events) = RandomExport(seed: 16, rows: 20_000);

        // Act
        var remembered = Summarize(roster, events, terms, seriousOnly, supplemental: null);
        var readInFull = Summarize(roster, events, terms, seriousOnly, supplemental: "STUDYID,RDOMAIN,USUBJID,IDVAR,IDVARVAL,QNAM,QVAL\n");

        // Assert
        Assert.Equal(readInFull, remembered);
        Assert.Contains("\"Queries\":[{", remembered, StringComparison.Ordinal);
        Assert.Contains("\"Rejections\":[{", remembered, StringComparison.Ordinal);
    }

    private static string Summarize(string roster, string events, SummaryTerms terms, bool seriousOnly, string? supplemental)
    {
        using var subjects = Open(roster);
        using var rows = Open(events);
        using var supp = supplemental is null ? null : Open(supplemental);
        var summary = new ExportSummarizer().Summarize(subjects, "dm.csv", rows, "ae.csv", null, supp, terms, seriousOnly, topTerms: 50);
        return JsonSerializer.Serialize(summary);
    }

    private static CsvTableReader Open(string text) => new(new StringReader(text));

    private static (string Roster, string Events) RandomExport(int seed, int rows)
    {
        var random = new Random(seed);
        string Pick(params string[] values) => values[random.Next(values.Length)];
        // Mostly the common answer, so that rows repeat and their readings are remembered; now and then another.
        string Usually(string common, params string[] others) => random.Next(6) == 0 ? Pick(others) : common;
        var roster = new StringBuilder("USUBJID,ARM,RFXSTDTC\n");
        for (var i = 0; i < 300; i++)
        {
            roster.Append($"S-{i:D3},{(i % 3 == 0 ? "CAM" : "CAMRT")},{(i % 17 == 0 ? "" : "2025-01-02")}\n");
        }

        var events = new StringBuilder("USUBJID,AESEQ,AETERM,AEDECOD,AEBODSYS,AELLTCD,AETOXGR,AESEV,AESER,AEREL,AERELRT,AEOUT,AESDTH,AEDTHDTC,AEACN,AETRTEM\n");
        for (var i = 0; i < rows; i++)
        {
            string[] cells =
            [
                Pick("S-001", "S-002", " S-003 ", "S-017", "S-999", "", $"S-{random.Next(300):D3}", $"S-{random.Next(300):D3}"),
                (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                Pick("Fatigue", "fatigue ", "Pneumonitis", "\"Rash, maculo-papular\"", "RCCEP", "放射性食管炎", "", "Tiredness", "Pnemonitis"),
                Pick("", "", "Fatigue", "Pneumonitis", "Rash maculo-papular", "Esophagitis", "NOT A TERM"),
                Pick("", "General disorders and administration site conditions", "Respiratory, thoracic and mediastinal disorders".Replace(",", "", StringComparison.Ordinal)),
                Usually("", "10016256", "10035742", "123"),
                Pick("1", "2", "3", "4", "5", "", " 2 ", "7", "Grade 2"),
                Pick("", "MILD", "SEVERE", "odd"),
                Usually("N", "Y", "", "y", " N", "maybe"),
                Usually("Y", "N", "", "POSSIBLY RELATED", "NOT RELATED", "unclear"),
                Usually("", "Y", "N", "?"),
                Usually("RECOVERED/RESOLVED", "", "FATAL", "fatal", "NOT RECOVERED/NOT RESOLVED"),
                Usually("N", "", "Y", "x"),
                Usually("", "2025-03-04"),
                Usually("DOSE NOT CHANGED", "", "DRUG WITHDRAWN", "drug interrupted", "DOSE REDUCED", "DRUG DISCONTINUED"),
                Usually("Y", "", "N", "n", "?"),
            ];
            // Now and then a short row, which is rejected.
            events.Append(string.Join(',', random.Next(200) == 0 ? cells[..5] : cells)).Append('\n');
        }

        return (roster.ToString(), events.ToString());
    }
}
