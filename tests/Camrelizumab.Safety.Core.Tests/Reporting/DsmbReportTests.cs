using System.Globalization;
using System.Text.RegularExpressions;
using Camrelizumab.Safety.Core.AdverseEvents;
using Camrelizumab.Safety.Core.Aggregation;
using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Core.Reporting;
using Camrelizumab.Safety.Core.Stopping;
using Camrelizumab.Safety.Core.Subjects;

namespace Camrelizumab.Safety.Core.Tests.Reporting;

/// <summary>The DSMB reports (issue #14): the open one reveals nothing arm-specific; the closed one has what a DSMB reads.</summary>
public sealed partial class DsmbReportTests
{
    private static readonly DateOnly AsOf = new(2026, 11, 24);

    [Fact]
    public void RenderOpen_ShowsNoFigureThatOnlyOneArmContributesTo()
    {
        // Arrange
        var (input, summary) = Input();

        // The figures only the radiotherapy arm contributes to: rows and categories where the other arm's count is 0.
        var cam = summary.Arms.Single(a => a.Arm == "CAM");
        var camrt = summary.Arms.Single(a => a.Arm == "CAMRT");
        var categories = camrt.SpecialInterest.Zip(cam.SpecialInterest).Where(pair => pair.Second.Subjects == 0).Select(pair => pair.First);
        List<int> singleArm = [camrt.SubjectsWithRadiotherapyRelated, .. categories.SelectMany(c => new[] { c.Subjects, c.SubjectsGrade3OrWorse })];
        singleArm = [.. singleArm.Where(n => n > 0).Distinct()];
        Assert.Equal(0, cam.SubjectsWithRadiotherapyRelated);
        Assert.Equal([29, 27, 19], singleArm); // related to RT; radiation esophagitis; radiation pneumonitis (any = grade ≥3)
        string[] forbidden = [.. singleArm.Select(n => n.ToString(CultureInfo.InvariantCulture)), .. singleArm.Select(n => (100.0 * n / camrt.Subjects).ToString("0.0", CultureInfo.InvariantCulture))];

        // Act
        var open = DsmbReport.RenderOpen(input);
        var closed = DsmbReport.RenderClosed(input);
        var openTables = DsmbTables.Render(input, closed: false);

        // Assert: every figure in a table cell of the open report and its CSV tables.
        var figures = Cells().Matches(open).SelectMany(m => Figures().Matches(m.Groups[1].Value)).Select(m => m.Value)
            .Concat(openTables.Values.SelectMany(csv => Figures().Matches(csv)).Select(m => m.Value))
            .ToHashSet(StringComparer.Ordinal);
        Assert.All(forbidden, f => Assert.DoesNotContain(f, figures));
        Assert.DoesNotContain("radiotherapy", open.Replace("defined by radiotherapy, which only one arm receives", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Radiation", open, StringComparison.Ordinal);

        // The closed report still has them, by arm.
        Assert.Contains("Related to radiotherapy", closed, StringComparison.Ordinal);
        Assert.Contains("Radiation esophagitis", closed, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderClosed_HasTheArmsSideBySide_TheListings_AndTheCrossingMarked()
    {
        var (input, _) = Input();

        var closed = DsmbReport.RenderClosed(input);

        // Arms side by side on dosed denominators, with grade ≥3: 19 of 40 CAMRT subjects had grade 3 pneumonitis.
        Assert.Contains("<th colspan=\"2\">Camrelizumab + radiotherapy (N = 40)</th>", closed, StringComparison.Ordinal);
        Assert.Contains("&nbsp;&nbsp;Pneumonitis</td><td>4 (10.0)</td><td>1 (2.5)</td><td>19 (47.5)</td><td>19 (47.5)</td>", closed, StringComparison.Ordinal);
        // "Other, specify" broken down by its specified text, RCCEP recognised as RCCEP (2 + 1 subjects).
        Assert.Contains("<em>specified: RCCEP</em></td><td>2 (5.0)</td><td>0 (0.0)</td><td>1 (2.5)</td><td>0 (0.0)</td>", closed, StringComparison.Ordinal);
        Assert.Contains("<em>specified: Nail discoloration</em>", closed, StringComparison.Ordinal);
        // Listings: the serious AEs (CAMRT grade ≥3: 19 pneumonitis + 6 fistula) and every grade ≥3 AE (those + 5 anemia, 1 pneumonitis, 3 fistula in CAM).
        Assert.Contains("<h2>Serious adverse events (25)</h2>", closed, StringComparison.Ordinal);
        Assert.Contains("<h2>Grade ≥3 adverse events (34)</h2>", closed, StringComparison.Ordinal);
        // Fistula in the first two CAMRT subjects enrolled: p0 = 0.08 stops at 2/2, so the chart marks look 2.
        Assert.Contains("crossed at look 2: 2 ≥ 2", closed, StringComparison.Ordinal);
        Assert.Contains("Number at risk", closed, StringComparison.Ordinal);
        // AESI definitions say why "Radiation esophagitis" counts fewer subjects than the term Esophagitis.
        Assert.Contains("<td>Radiation esophagitis</td><td>Esophagitis; attributed to radiotherapy", closed, StringComparison.Ordinal);
        Assert.Contains("@bottom-right{content:\"Page \" counter(page) \" of \" counter(pages)", closed, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderClosed_ShowsExposureDispositionDaysFromLastDoseAndWhatIsNew()
    {
        var (input, _) = Input();
        var previous = new DateTimeOffset(2026, 11, 10, 9, 0, 0, TimeSpan.Zero);
        // A death in CAMRT subject 05 (first dose day −195, 4 doses to day −153, radiotherapy days −188 to −159) on
        // day −100: 53 days after the last camrelizumab dose; received after the previous report, so it is new.
        var death = Event("R05", "Esophageal hemorrhage", 5, cam: true, rt: true) with { Serious = true, Outcome = "FATAL", FirstReceivedAt = previous.AddDays(3) };
        var old = input.Events.First(e => e.SubjectId == "R11" && e.Grade.Value >= 3) with { FirstReceivedAt = previous.AddDays(-20) };
        input = input with { Events = [.. input.Events.Where(e => e != input.Events.First(x => x.SubjectId == "R11" && x.Grade.Value >= 3)), death, old], PreviousReportAt = previous };

        var closed = DsmbReport.RenderClosed(input);
        var open = DsmbReport.RenderOpen(input);
        var first = DsmbReport.RenderClosed(input with { PreviousReportAt = null });

        // Exposure by arm: 4-8 doses, median 6; CAMRT subjects 1-10 at 150 mg for two doses have RDI 87.5-93.8 %.
        Assert.Contains("<tr><td>Administrations</td><td>6 (4–8)</td><td>6 (4–8)</td></tr>", closed, StringComparison.Ordinal);
        Assert.Contains("<tr><td>Duration on treatment, days</td><td>71 (43–99)</td><td>71 (43–99)</td></tr>", closed, StringComparison.Ordinal);
        Assert.Contains("<tr><td>Relative dose intensity, %</td><td>100 (100–100)</td><td>100 (88–100)</td></tr>", closed, StringComparison.Ordinal);
        Assert.Contains("<tr><td>Fractions</td><td>–</td><td>30 (20–30)</td></tr>", closed, StringComparison.Ordinal);
        Assert.Contains("<tr><td>Total dose, Gy</td><td>–</td><td>60.0 (40.0–60.0)</td></tr>", closed, StringComparison.Ordinal);
        // Disposition, each arm on its randomized subjects.
        Assert.Contains("<tr><td>PROGRESSIVE DISEASE</td><td>16 (40.0)</td><td>17 (42.5)</td></tr>", closed, StringComparison.Ordinal);
        Assert.Contains("<tr><td>" + DispositionCounts.Ongoing + "</td><td>18 (45.0)</td><td>18 (45.0)</td></tr>", closed, StringComparison.Ordinal);
        Assert.Contains("<tr><td>PROGRESSIVE DISEASE</td><td>33 (41.3)</td></tr>", open, StringComparison.Ordinal);
        // The death: 95 days from the first dose, 53 from the last camrelizumab dose (radiotherapy ended earlier), marked new.
        Assert.Matches(@"<tr><td><b>NEW</b></td><td>R05</td><td>CAMRT</td><td>[^<]+</td><td>95</td><td>53</td><td>Esophageal hemorrhage", closed);
        Assert.Contains("1 adverse event(s) first received, of which 1 serious, 1 grade ≥3 and 1 fatal", closed, StringComparison.Ordinal);
        Assert.Matches("<tr><td></td><td>R11</td>", closed);
        // Deaths recorded in DS only (CAM 1-2, CAMRT 1-3, none with a fatal AE) are listed after the fatal AEs: CAMRT 01
        // died on day −30, 169 days from its first dose (day −199) and 113 from its fifth and last camrelizumab dose (day −143).
        Assert.Matches("<tr><td></td><td>R01</td><td>CAMRT</td><td>2026-10-25</td><td>169</td><td>113</td><td>not reported as an adverse event \\(DS: DEATH\\)</td>", closed);
        Assert.Contains("1 subject(s) with a fatal adverse event and 5 more death(s) recorded in the disposition data (DS) only", open, StringComparison.Ordinal);
        // The CSV tables carry exposure and disposition; the open ones have no radiotherapy rows.
        var closedTables = DsmbTables.Render(input, closed: true);
        var openTables = DsmbTables.Render(input, closed: false);
        Assert.Contains("Camrelizumab + radiotherapy,radiotherapy,Fractions,30 (20–30)", closedTables["exposure.csv"], StringComparison.Ordinal);
        Assert.Contains("Camrelizumab,study treatment,PROGRESSIVE DISEASE,16,40", closedTables["disposition.csv"], StringComparison.Ordinal);
        Assert.Contains("All subjects,camrelizumab,Administrations,6 (4–8)", openTables["exposure.csv"], StringComparison.Ordinal);
        Assert.DoesNotContain("radiotherapy", openTables["exposure.csv"], StringComparison.Ordinal);

        // The first report marks nothing; the open report has no radiotherapy exposure.
        Assert.Contains("This is the first summary: nothing is marked new.", first, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>NEW</b>", first, StringComparison.Ordinal);
        Assert.DoesNotContain("Fractions", open, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_WithoutExOrDs_SaysTheyAreNotAvailable()
    {
        var (input, _) = Input();

        var closed = DsmbReport.RenderClosed(input with { Exposures = [], Dispositions = [] });

        Assert.Contains("no EX (exposure) file has been received", closed, StringComparison.Ordinal);
        Assert.Contains("Not available: no DS (disposition) file has been received.", closed, StringComparison.Ordinal);
    }

    private static (DsmbReportInput Input, SafetySummary Summary) Input()
    {
        // 40 subjects per arm. Camrelizumab alone: esophagitis (12), anemia grade 3 (5), pneumonitis (4, one grade 3),
        // fistula grade 3 (3), all attributed to camrelizumab only. Camrelizumab + RT: radiation esophagitis (27),
        // radiation pneumonitis grade 3 (19), fistula grade 3 (6), attributed to radiotherapy only. Every term occurs in
        // both arms, so that no pooled term count is one arm's by accident of the data.
        var rules = SafetyRules.LoadDefaults();
        var subjects = Enumerable.Range(1, 40).SelectMany(i => new[]
        {
            new Subject("S", $"C{i:00}", "CAM", AsOf.AddDays(-210 + i), AsOf.AddDays(-200 + i)),
            new Subject("S", $"R{i:00}", "CAMRT", AsOf.AddDays(-210 + i), AsOf.AddDays(-200 + i)),
        }).ToList();
        var events = new List<AdverseEvent>();
        void Add(string prefix, int from, int to, string term, int grade, bool cam, bool rt, string? verbatim = null) =>
            events.AddRange(Enumerable.Range(from, to - from + 1).Select(i => Event($"{prefix}{i:00}", term, grade, cam, rt) with { VerbatimTerm = verbatim ?? term, Serious = grade >= 3 && prefix == "R" }));
        Add("C", 1, 12, "Esophagitis", 2, cam: true, rt: false);
        Add("C", 1, 5, "Anemia", 3, cam: true, rt: false);
        Add("C", 6, 8, "Pneumonitis", 2, cam: true, rt: false);
        Add("C", 9, 9, "Pneumonitis", 3, cam: true, rt: false);
        Add("C", 1, 3, "Esophageal fistula", 3, cam: true, rt: false);
        Add("R", 1, 27, "Esophagitis", 2, cam: false, rt: true);
        Add("R", 11, 29, "Pneumonitis", 3, cam: false, rt: true);
        Add("R", 1, 6, "Esophageal fistula", 3, cam: false, rt: true);
        Add("C", 13, 14, "Skin and subcutaneous tissue disorders - Other, specify", 1, cam: true, rt: false, verbatim: "RCCEP on the chest");
        Add("R", 30, 30, "Skin and subcutaneous tissue disorders - Other, specify", 1, cam: true, rt: false, verbatim: "RCCEP");
        Add("R", 31, 31, "Skin and subcutaneous tissue disorders - Other, specify", 2, cam: true, rt: false, verbatim: "Nail discoloration");
        var summary = SafetySummary.Compute(rules.Arms, subjects, events);
        var evaluator = new RuleEvaluator();
        var bySubject = events.ToLookup(e => e.SubjectId, StringComparer.Ordinal);
        var input = new DsmbReportInput("S", AsOf, new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero), rules.Version, CtcaeDictionary.Version, "eval", summary,
            [.. rules.Rules.Select(r => evaluator.Evaluate(r, subjects, bySubject, AsOf))], ArmMultiplicity.Compute(rules))
        {
            Subjects = subjects,
            Events = events,
            Exposures = Exposures(subjects),
            Dispositions = Dispositions(),
        };
        return (input, summary);

    }

    /// <summary>
    /// Camrelizumab every 14 days from the first dose, 4 to 8 doses (subject number mod 5); the first ten CAMRT subjects
    /// reduced to 150 mg for their last two. Radiotherapy in CAMRT only: 30 fractions of 2 Gy (20 for subjects 36-40).
    /// </summary>
    private static List<ExposureRecord> Exposures(List<Subject> subjects)
    {
        var records = new List<ExposureRecord>();
        foreach (var s in subjects)
        {
            var i = int.Parse(s.SubjectId[1..], CultureInfo.InvariantCulture);
            var doses = 4 + (i % 5);
            var reduced = s.Arm == "CAMRT" && i <= 10;
            records.AddRange(Enumerable.Range(0, doses).Select(k => new ExposureRecord("S", s.SubjectId, "CAMRELIZUMAB", s.FirstDoseDate!.Value.AddDays(14 * k))
            {
                Dose = reduced && k >= doses - 2 ? 150 : 200,
                Unit = "mg",
                Sequence = (k + 1).ToString(CultureInfo.InvariantCulture),
            }));
            if (s.Arm == "CAMRT")
            {
                records.AddRange(Enumerable.Range(0, i <= 35 ? 30 : 20).Select(k => new ExposureRecord("S", s.SubjectId, "RADIOTHERAPY", s.FirstDoseDate!.Value.AddDays(7 + k)) { Dose = 2, Unit = "Gy" }));
            }
        }

        return records;
    }

    /// <summary>Off treatment: CAM 1-16 and CAMRT 1-17 progressive disease, CAM 17-22 and CAMRT 18-22 adverse event; died: CAM 1-2, CAMRT 1-3.</summary>
    private static List<DispositionRecord> Dispositions()
    {
        var records = new List<DispositionRecord>();
        void Add(string prefix, int from, int to, string term, DispositionScope scope) =>
            records.AddRange(Enumerable.Range(from, to - from + 1).Select(i => new DispositionRecord("S", $"{prefix}{i:00}", term, scope, "DISPOSITION EVENT", AsOf.AddDays(-30))));
        Add("C", 1, 16, "PROGRESSIVE DISEASE", DispositionScope.Treatment);
        Add("C", 17, 22, "ADVERSE EVENT", DispositionScope.Treatment);
        Add("R", 1, 17, "PROGRESSIVE DISEASE", DispositionScope.Treatment);
        Add("R", 18, 22, "ADVERSE EVENT", DispositionScope.Treatment);
        Add("C", 1, 2, "DEATH", DispositionScope.Study);
        Add("R", 1, 3, "DEATH", DispositionScope.Study);
        return records;
    }

    private static AdverseEvent Event(string subject, string term, int grade, bool cam, bool rt) => new()
    {
        StudyId = "S",
        SubjectId = subject,
        AeId = term,
        Term = CtcaeDictionary.V5.Find(term)!,
        Grade = new CtcaeGrade(grade),
        Serious = false,
        RelatedToCamrelizumab = cam,
        RelatedToRadiotherapy = rt,
        Onset = PartialDate.From(AsOf.AddDays(-100)),
        Source = new SourceReference("f", "sha", 2),
    };

    [GeneratedRegex("<td[^>]*>(.*?)</td>", RegexOptions.Singleline)]
    private static partial Regex Cells();

    [GeneratedRegex(@"\d+(?:\.\d+)?")]
    private static partial Regex Figures();
}
