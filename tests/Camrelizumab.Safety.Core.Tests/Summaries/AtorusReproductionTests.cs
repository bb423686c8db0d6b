using System.Globalization;
using Camrelizumab.Safety.Core.Summaries;
using Camrelizumab.Safety.Core.Text;

namespace Camrelizumab.Safety.Core.Tests.Summaries;

/// <summary>
/// Reproduces Atorus Research's replication of the CDISC pilot tables 14-5.01 (treatment-emergent AEs by SOC and
/// preferred term) and 14-5.02 (serious TEAEs), every subject count, percentage and event count, from the ADaM files
/// (SAS XPORT and CSV) and from the SDTM XPT files (DM + AE + SUPPAE AETRTEM).
/// </summary>
public sealed class AtorusReproductionTests
{
    public static TheoryData<string, string, string?, string?> Sources => new()
    {
        { "CdiscPilotAdam/adsl.xpt", "CdiscPilotAdam/adae.xpt", null, null },
        { "CdiscPilotAdam/adsl.csv", "CdiscPilotAdam/adae.csv", null, null },

        // SDTM: the planned arm (DM.ARM) is ADSL TRT01A in this study; SUPPAE carries the treatment-emergent flag.
        { "CdiscPilotSdtm/dm.xpt", "CdiscPilotSdtm/ae.xpt", "CdiscPilotSdtm/suppae.xpt", "ARM" },
    };

    [Theory]
    [MemberData(nameof(Sources))]
    public void Summarize_ReproducesTables14_5_01And14_5_02_CellForCell(string subjects, string events, string? supplemental, string? armColumn)
    {
        var expected = LoadExpected();
        var checkedCells = 0;
        foreach (var (table, seriousOnly) in new[] { ("14-5.01", false), ("14-5.02", true) })
        {
            using var subjectTable = External.Open(subjects);
            using var eventTable = External.Open(events);
            using var suppTable = supplemental is null ? null : External.Open(supplemental);
            var summary = new ExportSummarizer().Summarize(subjectTable, subjects, eventTable, events, armColumn, suppTable, SummaryTerms.Export, seriousOnly);

            Assert.Equal(0, summary.Rejected);
            foreach (var row in expected.Where(r => r.Table.StartsWith(table, StringComparison.Ordinal)))
            {
                var arm = summary.Arms[row.Arm];
                var (subjectsCount, eventCount) = row.Kind switch
                {
                    "any" => (arm.SubjectsWithAnyEvent, arm.Events),
                    "soc" => arm.BySoc.FirstOrDefault(s => s.Soc == row.Soc) is { } soc ? (soc.Subjects, soc.Events) : (0, 0L),
                    _ => arm.BySoc.FirstOrDefault(s => s.Soc == row.Soc)?.Terms.FirstOrDefault(t => t.Term == row.Term) is { } term ? (term.Subjects, term.Events) : (0, 0L),
                };
                var percent = Math.Round(100m * subjectsCount / arm.Subjects, 1, MidpointRounding.AwayFromZero);
                Assert.True(
                    (subjectsCount, eventCount, percent) == (row.Subjects, row.Events, row.Percent),
                    $"{table} {row.Kind} {row.Soc}/{row.Term} {row.Arm}: ours {subjectsCount} ({percent}%) [{eventCount}], Atorus {row.Subjects} ({row.Percent}%) [{row.Events}]");
                checkedCells++;
            }

            // Nothing counted that the tables do not show.
            foreach (var (armName, arm) in summary.Arms)
            {
                foreach (var soc in arm.BySoc)
                {
                    Assert.Contains(expected, r => r.Table.StartsWith(table, StringComparison.Ordinal) && r.Kind == "soc" && r.Soc == soc.Soc && r.Arm == armName);
                }
            }
        }

        Assert.Equal(774, checkedCells);
    }

    private sealed record ExpectedRow(string Table, string Kind, string Soc, string Term, string Arm, int Subjects, decimal Percent, long Events);

    private static List<ExpectedRow> LoadExpected()
    {
        using var text = File.OpenText(External.Path("CdiscPilotAdam/atorus-14-5-tidy.csv"));
        var csv = new CsvReader(text, ',');
        csv.TryRead(out _);
        var rows = new List<ExpectedRow>();
        while (csv.TryRead(out var r))
        {
            rows.Add(new ExpectedRow(r[0], r[1], r[2], r[3], r[4], int.Parse(r[5], CultureInfo.InvariantCulture), decimal.Parse(r[6], CultureInfo.InvariantCulture), long.Parse(r[7], CultureInfo.InvariantCulture)));
        }

        return rows;
    }
}
