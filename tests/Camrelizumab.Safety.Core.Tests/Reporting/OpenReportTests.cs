using System.Globalization;
using System.Text.RegularExpressions;
using Camrelizumab.Safety.Core.AdverseEvents;
using Camrelizumab.Safety.Core.Aggregation;
using Camrelizumab.Safety.Core.Configuration;
using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Core.Reporting;
using Camrelizumab.Safety.Core.Subjects;

namespace Camrelizumab.Safety.Core.Tests.Reporting;

/// <summary>The open (pooled) report must not reveal a figure that only the radiotherapy arm contributes to (issue #14).</summary>
public sealed partial class OpenReportTests
{
    private static readonly DateOnly AsOf = new(2026, 11, 24);

    [Fact]
    public void RenderOpen_ShowsNoFigureThatOnlyOneArmContributesTo()
    {
        // Arrange: 40 subjects per arm. Camrelizumab alone: esophagitis (12), anemia grade 3 (5), pneumonitis (4, one grade 3),
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
        void Add(string prefix, int from, int to, string term, int grade, bool cam, bool rt) =>
            events.AddRange(Enumerable.Range(from, to - from + 1).Select(i => Event($"{prefix}{i:00}", term, grade, cam, rt)));
        Add("C", 1, 12, "Esophagitis", 2, cam: true, rt: false);
        Add("C", 1, 5, "Anemia", 3, cam: true, rt: false);
        Add("C", 6, 8, "Pneumonitis", 2, cam: true, rt: false);
        Add("C", 9, 9, "Pneumonitis", 3, cam: true, rt: false);
        Add("C", 1, 3, "Esophageal fistula", 3, cam: true, rt: false);
        Add("R", 1, 27, "Esophagitis", 2, cam: false, rt: true);
        Add("R", 11, 29, "Pneumonitis", 3, cam: false, rt: true);
        Add("R", 1, 6, "Esophageal fistula", 3, cam: false, rt: true);
        var summary = SafetySummary.Compute(rules.Arms, subjects, events);
        var input = new DsmbReportInput("S", AsOf, new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero), rules.Version, CtcaeDictionary.Version, "eval", summary, [], [])
        {
            Subjects = subjects,
            Events = events,
        };

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
