using System.Globalization;
using System.Net;
using System.Text;
using Camrelizumab.Safety.Core.AdverseEvents;
using Camrelizumab.Safety.Core.Aggregation;
using Camrelizumab.Safety.Core.Queries;
using Camrelizumab.Safety.Core.Stopping;
using Camrelizumab.Safety.Core.Subjects;

namespace Camrelizumab.Safety.Core.Reporting;

/// <summary>
/// The DSMB summaries as self-contained, print-friendly HTML (no scripts, no network resources): the closed report by
/// arm for the DSMB, and the open report, pooled with no arm comparisons, for the study team. Every value from data is
/// HTML-encoded.
/// </summary>
public static class DsmbReport
{
    private const string Style =
        "body{font-family:sans-serif;margin:24px;color:#222;max-width:1100px}table{border-collapse:collapse;margin:8px 0 20px}" +
        "th,td{border:1px solid #bbb;padding:4px 8px;text-align:right}th:first-child,td:first-child{text-align:left}" +
        "thead th{background:#eef}.crossed{color:#b00020;font-weight:bold}.banner{border:2px solid #b00020;padding:6px 10px;display:inline-block}" +
        ".open{border-color:#1f5fa8}small{color:#555}td.text,.listing td,.listing th{text-align:left}.listing{font-size:9pt}.listing td,.listing th{padding:2px 4px}" +
        "@media print{body{margin:0;max-width:none;font-size:10pt}.chart,tr{page-break-inside:avoid}h2{page-break-after:avoid}thead{display:table-header-group}}";

    public static string RenderClosed(DsmbReportInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var html = Start(input, "DSMB closed safety summary", "CLOSED REPORT: by arm, for DSMB members only.", "banner");
        var arms = input.Summary.Arms;
        DataAwaitingResolution(html, input.DataQueries);

        NewSinceLastReport(html, input);
        html.Append("<h2>Enrollment and exposure</h2><table><thead><tr><th>Arm</th><th>Randomized</th><th>Dosed</th><th>Median days since first dose</th><th>Person-years</th></tr></thead><tbody>");
        foreach (var arm in arms)
        {
            var (dosed, median, years) = ReportFigures.Exposure(input.Subjects.Where(s => s.Arm == arm.Arm), input.AsOf);
            html.Append("<tr><td>").Append(E(arm.ArmLabel)).Append("</td><td>").Append(arm.Subjects).Append("</td><td>").Append(dosed)
                .Append("</td><td>").Append(F(median, "0")).Append("</td><td>").Append(F(years, "0.0")).Append("</td></tr>");
        }

        html.Append("</tbody></table>");
        var groups = arms.Select(a => (a.ArmLabel, (IReadOnlyCollection<Subject>)[.. input.Subjects.Where(s => s.Arm == a.Arm)])).ToList();
        TreatmentExposureTable(html, input, groups, radiotherapy: true);
        Disposition(html, input, groups);
        Completeness(html, input);
        Overview(html, arms);
        IncidenceTable(html, arms);
        SpecialInterest(html, arms);
        Deaths(html, input, closed: true);
        Rules(html, input);
        TimeToEvent(html, input, arms.Select(a => (a.ArmLabel, (IEnumerable<Subject>)input.Subjects.Where(s => s.Arm == a.Arm))).ToList());
        Listings(html, input);
        TermsByArm(html, input, arms);
        return html.Append("</body></html>").ToString();
    }

    /// <summary>The open report: the same safety picture pooled over arms, with no arm comparison and no rule status by arm.</summary>
    public static string RenderOpen(DsmbReportInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var html = Start(input, "open safety summary", "OPEN REPORT: all subjects pooled; no arm comparisons.", "banner open");
        var pooled = ReportFigures.Pooled(input.Subjects, input.Events);
        var arm = pooled.Arms[0];
        var (dosed, median, years) = ReportFigures.Exposure(input.Subjects, input.AsOf);
        DataAwaitingResolution(html, input.DataQueries);
        html.Append("<h2>Enrollment and exposure</h2><table><thead><tr><th>All subjects</th><th>Randomized</th><th>Dosed</th><th>Median days since first dose</th><th>Person-years</th></tr></thead><tbody>")
            .Append("<tr><td>All arms</td><td>").Append(arm.Subjects).Append("</td><td>").Append(dosed).Append("</td><td>").Append(F(median, "0"))
            .Append("</td><td>").Append(F(years, "0.0")).Append("</td></tr></tbody></table>");
        List<(string, IReadOnlyCollection<Subject>)> everyone = [("All subjects", [.. input.Subjects])];
        TreatmentExposureTable(html, input, everyone, radiotherapy: false);
        Disposition(html, input, everyone);
        Overview(html, pooled.Arms, open: true);
        IncidenceTable(html, pooled.Arms);
        SpecialInterest(html, pooled.Arms, open: true);
        Deaths(html, input, closed: false);
        html.Append("<h2>Stopping rules</h2><p>Arm-level stopping rules are reviewed by the DSMB in the closed report.</p>");
        TimeToEvent(html, input, [("All subjects", input.Subjects)]);
        Terms(html, arm, "Adverse events by SOC and term at worst grade: all subjects");
        return html.Append("</body></html>").ToString();
    }

    private static StringBuilder Start(DsmbReportInput input, string kind, string banner, string bannerClass)
    {
        var title = $"{input.Study}: {kind}";
        return new StringBuilder()
            .Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append("</title><style>").Append(Style)
            .Append(PageRule(title, input.AsOf, banner)).Append("</style></head><body>")
            .Append("<h1>").Append(E(title)).Append("</h1><p class=\"").Append(bannerClass).Append("\">").Append(E(banner)).Append("</p>")
            .Append("<p>Data as of ").Append(E(input.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))
            .Append("; generated ").Append(E(input.GeneratedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)))
            .Append(". Rules ").Append(E(input.RulesVersion)).Append("; ").Append(E(input.DictionaryVersion))
            .Append("; evaluation ").Append(E(input.EvaluationId)).Append(" (reproducible with <code>safety rules recompute</code>).</p>");
    }

    /// <summary>What is still provisional, stated before any count so no reader takes a pending count for a final one.</summary>
    private static void DataAwaitingResolution(StringBuilder html, DataQuerySummary queries)
    {
        html.Append("<h2>Data awaiting resolution</h2><table><tbody>")
            .Append("<tr><th>Events awaiting coding</th><td>").Append(E(queries.AwaitingCodingText)).Append("</td></tr>")
            .Append("<tr><th>Events under a grade query</th><td>").Append(E(queries.GradeQueryText)).Append("</td></tr>")
            .Append("<tr><th>Events with any open query</th><td>").Append(queries.EventsWithQueries).Append("</td></tr>")
            .Append("<tr><th>Events for subjects not in the roster (not counted in any arm until a roster names them)</th><td>").Append(queries.EventsWithoutRosterSubject).Append("</td></tr>")
            .Append("</tbody></table>");
        if (queries.ByKind.Count > 0)
        {
            html.Append("<p><small>Open queries by kind: ").Append(E(string.Join(", ", queries.ByKind.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value}"))))).Append(".</small></p>");
        }
    }

    /// <summary>The printed page: A4, the report and data cut at the top, its confidentiality and "page n of m" at the foot.</summary>
    private static string PageRule(string title, DateOnly asOf, string banner)
    {
        static string Css(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("<", "\\3C ", StringComparison.Ordinal) + "\"";
        const string Small = "font-size:8pt;color:#555";
        var dataCut = Css(FormattableString.Invariant($"Data as of {asOf:yyyy-MM-dd}"));
        return $"@page{{size:A4;margin:18mm 12mm 16mm;@top-left{{content:{Css(title)};{Small}}}@top-right{{content:{dataCut};{Small}}}" +
            $"@bottom-left{{content:{Css(banner)};{Small}}}@bottom-right{{content:\"Page \" counter(page) \" of \" counter(pages);{Small}}}}}";
    }

    private static void Overview(StringBuilder html, IReadOnlyList<ArmSafetySummary> arms, bool open = false)
    {
        html.Append("<h2>Adverse event overview</h2><p>Subjects counted once at their worst grade; percentages of dosed subjects (safety population).</p><table><thead><tr><th>Subjects with …</th>");
        foreach (var arm in arms)
        {
            html.Append("<th>").Append(E(arm.ArmLabel)).Append(" (N = ").Append(arm.DosedSubjects).Append(" dosed)</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var (label, count) in OverviewRows(open))
        {
            html.Append("<tr><td>").Append(E(label)).Append("</td>");
            foreach (var arm in arms)
            {
                html.Append("<td>").Append(count(arm)).Append(arm.DosedSubjects > 0 ? F(100.0 * count(arm) / arm.DosedSubjects, " (0.0'%)'") : "").Append("</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table>");
    }

    /// <summary>The overview rows, shared by the HTML and the CSV tables; the open report leaves out the arm-specific ones.</summary>
    public static IReadOnlyList<(string Label, Func<ArmSafetySummary, int> Count)> OverviewRows(bool open = false) =>
        [.. AllOverviewRows().Where(r => !open || r.Label != RadiotherapyRelated)];

    /// <summary>Only the radiotherapy arm receives radiotherapy, so a pooled count of events related to it is that arm's count.</summary>
    private const string RadiotherapyRelated = "Related to radiotherapy";

    private static IReadOnlyList<(string Label, Func<ArmSafetySummary, int> Count)> AllOverviewRows() =>
    [
        ("Any AE", a => a.SubjectsWithAnyEvent),
        ("Worst grade 1", a => a.SubjectsByWorstGrade[0]),
        ("Worst grade 2", a => a.SubjectsByWorstGrade[1]),
        ("Worst grade 3", a => a.SubjectsByWorstGrade[2]),
        ("Worst grade 4", a => a.SubjectsByWorstGrade[3]),
        ("Worst grade 5", a => a.SubjectsByWorstGrade[4]),
        ("Grade ≥3", a => a.SubjectsWithGrade3OrWorse),
        ("Serious AE", a => a.SubjectsWithSerious),
        ("Treatment-related AE", a => a.SubjectsWithTreatmentRelated),
        ("Treatment-related grade ≥3", a => a.SubjectsWithTreatmentRelatedGrade3OrWorse),
        ("Related to camrelizumab", a => a.SubjectsWithCamrelizumabRelated),
        (RadiotherapyRelated, a => a.SubjectsWithRadiotherapyRelated),
        ("Fatal AE", a => a.SubjectsWithFatal),
        ("AE leading to discontinuation", a => a.SubjectsWithDiscontinuation),
    ];

    private static void IncidenceTable(StringBuilder html, IReadOnlyList<ArmSafetySummary> arms)
    {
        html.Append("<h2>Incidence with exact 95% confidence intervals</h2><p>Clopper–Pearson intervals; denominators are dosed subjects (safety population).</p><table><thead><tr><th>Subjects with …</th>");
        foreach (var arm in arms)
        {
            html.Append("<th>").Append(E(arm.ArmLabel)).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var (label, count) in OverviewRows().Where(r => r.Label is "Any AE" or "Grade ≥3" or "Serious AE" or "Treatment-related grade ≥3" or "Fatal AE"))
        {
            html.Append("<tr><td>").Append(E(label)).Append("</td>");
            foreach (var arm in arms)
            {
                var (low, high) = Incidence.ClopperPearson(count(arm), arm.DosedSubjects);
                html.Append("<td>").Append(count(arm)).Append('/').Append(arm.DosedSubjects)
                    .Append(arm.DosedSubjects > 0 ? string.Create(CultureInfo.InvariantCulture, $" ({100.0 * count(arm) / arm.DosedSubjects:0.0}%; 95% CI {100 * low:0.0}–{100 * high:0.0}%)") : "").Append("</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table>");
    }

    private static void SpecialInterest(StringBuilder html, IReadOnlyList<ArmSafetySummary> arms, bool open = false)
    {
        var shown = SpecialInterestShown(open);
        if (open)
        {
            html.Append("<p>Categories defined by radiotherapy, which only one arm receives, are in the closed report only.</p>");
        }

        html.Append("<h2>Adverse events of special interest</h2><p>Subjects counted once per category at their worst grade (categories from the reviewed config/aesi.json).</p>");
        html.Append("<table><thead><tr><th>Category</th><th>Group</th>");
        foreach (var arm in arms)
        {
            html.Append("<th>").Append(E(arm.ArmLabel)).Append(": any</th><th>grade ≥3</th>");
        }

        html.Append("</tr></thead><tbody>");
        var categories = arms.Count == 0 ? [] : arms[0].SpecialInterest;
        for (var i = 0; i < categories.Count; i++)
        {
            if (!shown.Contains(categories[i].Name))
            {
                continue;
            }

            html.Append("<tr><td>").Append(E(categories[i].Name)).Append("</td><td>").Append(E(categories[i].Soc)).Append("</td>");
            foreach (var arm in arms)
            {
                html.Append("<td>").Append(arm.SpecialInterest[i].Subjects).Append("</td><td>").Append(arm.SpecialInterest[i].SubjectsGrade3OrWorse).Append("</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table>");
        if (!open)
        {
            AesiDefinitions(html);
        }
    }

    /// <summary>
    /// What each AESI category counts, so that a category is not read as its term: "Radiation esophagitis" is the CTCAE
    /// term Esophagitis attributed to radiotherapy, fewer subjects than the term row.
    /// </summary>
    private static void AesiDefinitions(StringBuilder html)
    {
        html.Append("<table class=\"listing\"><thead><tr><th>Category</th><th>Counts subjects with</th></tr></thead><tbody>");
        foreach (var c in AesiConfiguration.LoadDefaults().Categories)
        {
            var attribution = c.Attribution switch
            {
                Attribution.Camrelizumab => "; attributed to camrelizumab (or attribution missing)",
                Attribution.Radiotherapy => "; attributed to radiotherapy (“yes” only)",
                Attribution.StudyTreatment => "; treatment-related",
                _ => "; any attribution",
            };
            var verbatim = c.VerbatimContains.Count > 0 ? "; the specified text containing " + string.Join(" or ", c.VerbatimContains.Select(v => $"“{v}”")) : "";
            html.Append("<tr><td>").Append(E(c.Label)).Append("</td><td>").Append(E(string.Join(", ", c.Terms) + verbatim + attribution)).Append("</td></tr>");
        }

        html.Append("</tbody></table>");
    }

    /// <summary>The AESI category labels a report shows: all in the closed report; the open one leaves out arm-specific categories.</summary>
    public static IReadOnlySet<string> SpecialInterestShown(bool open) =>
        AesiConfiguration.LoadDefaults().Categories.Where(c => !open || !c.ArmSpecific).Select(c => c.Label).ToHashSet(StringComparer.Ordinal);

    private static void Deaths(StringBuilder html, DsmbReportInput input, bool closed)
    {
        var deaths = input.Events.Where(e => e.IsFatal).OrderBy(e => e.Onset?.Earliest).ThenBy(e => e.SubjectId, StringComparer.Ordinal).ToList();
        var withFatalEvent = deaths.Select(e => e.SubjectId).ToHashSet(StringComparer.Ordinal);
        // Deaths DS records with no fatal AE (a death from progression is often not an AE): all-cause, so listed too.
        var otherDeaths = input.Dispositions.Where(d => d.Term == "DEATH" && !withFatalEvent.Contains(d.SubjectId))
            .GroupBy(d => d.SubjectId, StringComparer.Ordinal).Select(g => g.OrderBy(d => d.Date ?? DateOnly.MaxValue).First())
            .OrderBy(d => d.Date).ThenBy(d => d.SubjectId, StringComparer.Ordinal).ToList();
        html.Append("<h2>Deaths</h2>");
        if (!closed)
        {
            html.Append("<p>").Append(withFatalEvent.Count).Append(" subject(s) with a fatal adverse event");
            if (otherDeaths.Count > 0)
            {
                html.Append(" and ").Append(otherDeaths.Count).Append(" more death(s) recorded in the disposition data (DS) only");
            }

            html.Append(" (all arms; listing in the closed report).</p>");
            return;
        }

        if (deaths.Count == 0 && otherDeaths.Count == 0)
        {
            html.Append("<p>No death reported (no fatal adverse event").Append(input.Dispositions.Count > 0 ? ", no DS record of death)." : "; no DS file received).").Append("</p>");
            return;
        }

        var subjects = input.Subjects.ToDictionary(s => s.SubjectId, StringComparer.Ordinal);
        var exposures = input.Exposures.ToLookup(x => x.SubjectId, StringComparer.Ordinal);
        html.Append("<p>All deaths the exports record: each fatal adverse event (grade 5 or outcome fatal), whatever the attribution, then each death in the disposition data (DS) of a subject with no fatal AE. The date of death is the AE's end date, else its onset (the DS date for the others). ")
            .Append(input.Exposures.Count == 0
                ? "Days from the last dose need EX records, and none has been received: not available.</p>"
                : "The last dose is the last day camrelizumab or radiotherapy was given on or before the death (EX); – when the subject has no EX record.</p>")
            .Append("<table class=\"listing\"><thead><tr>").Append(NewHeader(input)).Append("<th>Subject</th><th>Arm</th><th>Date of death</th><th>Days from first dose</th><th>Days from last dose</th><th>Cause (CTCAE term)</th><th>Grade</th><th>Related to camrelizumab</th><th>Related to RT</th></tr></thead><tbody>");
        // Days from the first dose (roster) and from the last dose (EX) to a death, as the listing prints them.
        (string FromFirst, string FromLast) DaysFromDoses(string subjectId, DateOnly? death) =>
            (death is { } d && subjects.GetValueOrDefault(subjectId)?.FirstDoseDate is { } first ? (d.DayNumber - first.DayNumber).ToString(CultureInfo.InvariantCulture) : "–",
             input.Exposures.Count == 0 ? "not available"
                : death is { } day && TreatmentExposure.LastDoseOnOrBefore(exposures[subjectId], day) is { } lastDose ? (day.DayNumber - lastDose.DayNumber).ToString(CultureInfo.InvariantCulture) : "–");

        foreach (var e in deaths)
        {
            var subject = subjects.GetValueOrDefault(e.SubjectId);
            var date = e.Resolution?.Earliest ?? e.Onset?.Earliest;
            var (days, sinceLast) = DaysFromDoses(e.SubjectId, date);
            html.Append("<tr>").Append(NewCell(input, e)).Append("<td>").Append(E(e.SubjectId)).Append("</td><td>").Append(E(subject?.Arm ?? "not in roster")).Append("</td><td>")
                .Append(E((e.Resolution ?? e.Onset)?.ToString() ?? "not reported")).Append("</td><td>").Append(days).Append("</td><td>").Append(E(sinceLast)).Append("</td><td>")
                .Append(E(e.TermName)).Append("</td><td>").Append(e.Grade.Value).Append("</td><td>")
                .Append(Flag(e.RelatedToCamrelizumab)).Append("</td><td>").Append(Flag(e.RelatedToRadiotherapy)).Append("</td></tr>");
        }

        foreach (var d in otherDeaths)
        {
            var subject = subjects.GetValueOrDefault(d.SubjectId);
            var (days, sinceLast) = DaysFromDoses(d.SubjectId, d.Date);
            html.Append("<tr>").Append(input.PreviousReportAt is null ? "" : "<td></td>").Append("<td>").Append(E(d.SubjectId)).Append("</td><td>").Append(E(subject?.Arm ?? "not in roster")).Append("</td><td>")
                .Append(E(d.Date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "not reported")).Append("</td><td>").Append(days).Append("</td><td>").Append(E(sinceLast))
                .Append("</td><td>not reported as an adverse event (DS: DEATH)</td><td>–</td><td>–</td><td>–</td></tr>");
        }

        html.Append("</tbody></table>");
    }

    private static void Rules(StringBuilder html, DsmbReportInput input)
    {
        html.Append("<h2>Stopping rules</h2><p>Subjects are judged in enrolment (first-dose) order; look n crosses when the events already known among the first n enrolled reach its boundary, and then stays crossed.</p>")
            .Append("<table><thead><tr><th>Rule</th><th>Arm</th><th>Status</th><th>Crossed at look (events, boundary)</th><th>Now: events / evaluated / pending of enrolled</th><th>Distance</th></tr></thead><tbody>");
        foreach (var e in input.Evaluations)
        {
            var crossed = e.Status == RuleStatus.Crossed;
            html.Append("<tr><td>").Append(E(e.Rule.Title)).Append("<br><small>").Append(E(e.Rule.Id)).Append("</small></td><td>").Append(E(e.Rule.Arm))
                .Append("</td><td").Append(crossed ? " class=\"crossed\"" : "").Append('>').Append(E(e.Status.ToString().ToUpperInvariant()))
                .Append("</td><td>").Append(e.Crossing is { } c ? string.Create(CultureInfo.InvariantCulture, $"look {c.Look}: {c.Events} events, boundary {c.Boundary}") : "–")
                .Append("</td><td>").Append(string.Create(CultureInfo.InvariantCulture, $"{e.Events} / {e.Evaluable} / {e.Pending} of {e.Enrolled}"))
                .Append("</td><td class=\"text\">").Append(E(e.DistanceText)).Append("</td></tr>");
        }

        html.Append("</tbody></table>");
        foreach (var e in input.Evaluations.Where(e => e.Status != RuleStatus.Crossed && input.IfUncodedQualified.TryGetValue(e.Rule.Id, out var w) && w.Status == RuleStatus.Crossed))
        {
            var widened = input.IfUncodedQualified[e.Rule.Id];
            html.Append("<p class=\"crossed\">POSSIBLE CROSSING PENDING CODING: ").Append(E($"{e.Rule.Title} [{e.Rule.Arm}]"))
                .Append(E(string.Create(CultureInfo.InvariantCulture, $": {e.Events} events observed on coded data; {widened.Events} if every event awaiting coding qualified, which would cross. Confirmed or cleared when the events are coded.")))
                .Append("</p>");
        }

        if (input.Multiplicity.Count > 0)
        {
            html.Append("<p>False-alarm probability of each arm's rules together, every endpoint at its p0 (exact, nesting from the definitions): ")
                .Append(E(string.Join("; ", input.Multiplicity.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Arm} {m.Exact:0.000} (independent endpoints: {m.Independent:0.000})")))))
                .Append(".</p>");
        }

        foreach (var e in input.Evaluations.Where(e => e.Status != RuleStatus.Infeasible))
        {
            html.Append("<div class=\"chart\"><h3>").Append(E($"{e.Rule.Title}: {e.Rule.Arm}")).Append("</h3>").Append(BoundaryChart.Svg(e)).Append("</div>");
        }
    }

    private static void TimeToEvent(StringBuilder html, DsmbReportInput input, IReadOnlyList<(string Label, IEnumerable<Subject> Subjects)> groups)
    {
        var events = input.Events.ToLookup(e => e.SubjectId, StringComparer.Ordinal);
        var series = new List<(string, IReadOnlyList<(double, bool)>)>();
        html.Append("<h2>Time to first grade ≥3 treatment-related AE</h2><table><thead><tr><th>Group</th><th>Subjects</th><th>With the event</th><th>Free of it at 90 days (Kaplan–Meier)</th><th>Left out: onset date missing</th></tr></thead><tbody>");
        foreach (var (label, subjects) in groups)
        {
            var (observations, withoutDate) = ReportFigures.TimeToFirstGrade3Trae(subjects, events, input.AsOf);
            var curve = KaplanMeier.Estimate(observations);
            var at90 = curve.LastOrDefault(p => p.Day <= 90).Survival;
            series.Add((label, observations));
            html.Append("<tr><td>").Append(E(label)).Append("</td><td>").Append(observations.Count).Append("</td><td>").Append(observations.Count(o => o.Event))
                .Append("</td><td>").Append(observations.Count == 0 ? "–" : F(100 * at90, "0.0'%'")).Append("</td><td>").Append(withoutDate).Append("</td></tr>");
        }

        html.Append("</tbody></table><div class=\"chart\">").Append(SurvivalChart.Svg("Time to first grade ≥3 treatment-related AE", series)).Append("</div>");
    }

    /// <summary>
    /// SOC and term counts with the arms side by side: subjects n (%) of the dosed subjects (safety population) and those
    /// with grade ≥3. An "Other, specify" term is broken down by its specified text (RCCEP, from config/aesi.json, as RCCEP).
    /// </summary>
    private static void TermsByArm(StringBuilder html, DsmbReportInput input, IReadOnlyList<ArmSafetySummary> arms)
    {
        var dosed = arms.Select(a => input.Subjects.Count(s => s.Arm == a.Arm && s.FirstDoseDate is not null)).ToList();
        html.Append("<h2>Adverse events by SOC and term at worst grade, arms side by side</h2><p>Subjects counted once per row at their worst grade; percentages of dosed subjects (safety population). An \"Other, specify\" term is broken down by the text specified with it.</p>")
            .Append("<table><thead><tr><th rowspan=\"2\">SOC / CTCAE term</th>");
        for (var i = 0; i < arms.Count; i++)
        {
            html.Append("<th colspan=\"2\">").Append(E(arms[i].ArmLabel)).Append(" (N = ").Append(dosed[i]).Append(")</th>");
        }

        html.Append("</tr><tr>").Append(string.Concat(arms.Select(_ => "<th>Any grade n (%)</th><th>Grade ≥3 n (%)</th>"))).Append("</tr></thead><tbody>");
        var socs = arms.SelectMany(a => a.Socs).GroupBy(c => c.Name, StringComparer.Ordinal).OrderByDescending(g => g.Sum(c => c.Subjects)).ThenBy(g => g.Key, StringComparer.Ordinal);
        var armOf = input.Subjects.ToDictionary(x => x.SubjectId, x => x.Arm, StringComparer.Ordinal);
        var rccep = AesiConfiguration.LoadDefaults().Categories.Where(c => c.Id == "rccep").ToList();
        foreach (var soc in socs)
        {
            SideBySideRow(html, $"<strong>{E(soc.Key)}</strong>", arms.Select(a => a.Socs.FirstOrDefault(c => c.Name == soc.Key)).ToList(), dosed);
            var terms = arms.SelectMany(a => a.Terms).Where(t => t.Soc == soc.Key).GroupBy(t => t.Name, StringComparer.Ordinal).OrderByDescending(g => g.Sum(t => t.Subjects)).ThenBy(g => g.Key, StringComparer.Ordinal);
            foreach (var term in terms)
            {
                SideBySideRow(html, "&nbsp;&nbsp;" + E(term.Key), arms.Select(a => a.Terms.FirstOrDefault(t => t.Name == term.Key)).ToList(), dosed);
                if (!term.Key.EndsWith("Other, specify", StringComparison.Ordinal))
                {
                    continue;
                }

                var specified = input.Events.Where(e => e.TermName == term.Key && armOf.ContainsKey(e.SubjectId))
                    .GroupBy(e => rccep.Any(c => c.Includes(e)) ? "RCCEP" : (e.VerbatimTerm?.Trim() ?? "not specified"), StringComparer.OrdinalIgnoreCase)
                    .OrderByDescending(g => g.Select(e => e.SubjectId).Distinct().Count());
                foreach (var text in specified)
                {
                    var counts = arms.Select(a => text.Where(e => armOf[e.SubjectId] == a.Arm).GroupBy(e => e.SubjectId, StringComparer.Ordinal).ToList())
                        .Select(bySubject => (TermCount?)new TermCount(text.Key, term.Key, [.. Enumerable.Range(1, 5).Select(g => bySubject.Count(x => x.Max(e => e.Grade.Value) == g))]))
                        .ToList();
                    SideBySideRow(html, "&nbsp;&nbsp;&nbsp;&nbsp;<em>specified: " + E(text.Key) + "</em>", counts, dosed);
                }
            }
        }

        html.Append("</tbody></table>");
    }

    private static void SideBySideRow(StringBuilder html, string label, List<TermCount?> counts, List<int> dosed)
    {
        html.Append("<tr><td>").Append(label).Append("</td>");
        for (var i = 0; i < counts.Count; i++)
        {
            var any = counts[i]?.Subjects ?? 0;
            var severe = counts[i] is { } c ? c.SubjectsByWorstGrade.Skip(2).Sum() : 0;
            html.Append("<td>").Append(Percent(any, dosed[i])).Append("</td><td>").Append(Percent(severe, dosed[i])).Append("</td>");
        }

        html.Append("</tr>");
    }

    private static string Percent(int n, int denominator) =>
        denominator == 0 ? n.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{n} ({100.0 * n / denominator:0.0})");

    /// <summary>What arrived since the previous summary: the DSMB reads these first; each is marked NEW in the listings.</summary>
    private static void NewSinceLastReport(StringBuilder html, DsmbReportInput input)
    {
        html.Append("<h2>New since the last report</h2>");
        if (input.PreviousReportAt is not { } previous)
        {
            html.Append("<p>This is the first summary: nothing is marked new.</p>");
            return;
        }

        var arrived = input.Events.Where(input.IsNew).ToList();
        html.Append("<p>").Append(E(string.Create(CultureInfo.InvariantCulture,
            $"Since the previous summary ({previous.UtcDateTime:yyyy-MM-dd HH:mm} UTC): {arrived.Count} adverse event(s) first received, of which {arrived.Count(e => e.Serious is true)} serious, {arrived.Count(e => e.Grade.Value >= 3)} grade ≥3 and {arrived.Count(e => e.IsFatal)} fatal. ")))
            .Append("They are marked <b>NEW</b> in the listings below. An event first received earlier and updated since is not marked.</p>");
    }

    private static string NewHeader(DsmbReportInput input) => input.PreviousReportAt is null ? "" : "<th>New</th>";

    private static string NewCell(DsmbReportInput input, AdverseEvent e) => input.PreviousReportAt is null ? "" : input.IsNew(e) ? "<td><b>NEW</b></td>" : "<td></td>";

    /// <summary>
    /// Exposure from EX: camrelizumab administrations, duration, cumulative dose and dose intensity, and (closed report
    /// only: only one arm receives it) radiotherapy fractions and dose.
    /// </summary>
    private static void TreatmentExposureTable(StringBuilder html, DsmbReportInput input, IReadOnlyList<(string Label, IReadOnlyCollection<Subject> Subjects)> groups, bool radiotherapy)
    {
        if (input.Exposures.Count == 0)
        {
            html.Append("<p>Treatment exposure (administrations, duration, dose intensity").Append(radiotherapy ? ", radiotherapy delivered" : "")
                .Append("): not available; no EX (exposure) file has been received, so only randomization and first dose (roster) are known.</p>");
            return;
        }

        var regimen = input.Regimen;
        html.Append("<h3>Camrelizumab exposure (EX)</h3><p>")
            .Append(E(string.Create(CultureInfo.InvariantCulture, $"Median (min–max) over subjects with an EX record of camrelizumab. Duration: last − first administration + 1 day. Relative dose intensity: cumulative dose / ({regimen.DoseMg:0.##} mg × planned administrations every {regimen.IntervalDays} days from the first to the last administration).")))
            .Append("</p>");
        ExposureRows(html, "Camrelizumab exposure", groups, CamrelizumabRows(input, groups));
        if (radiotherapy)
        {
            html.Append("<h3>Radiotherapy delivered (EX)</h3>");
            ExposureRows(html, "Radiotherapy delivered", groups, RadiotherapyRows(input, groups));
        }
    }

    private static void ExposureRows(StringBuilder html, string corner, IReadOnlyList<(string Label, IReadOnlyCollection<Subject> Subjects)> groups, IReadOnlyList<(string Label, IReadOnlyList<string> Cells)> rows)
    {
        html.Append("<table><thead><tr><th>").Append(E(corner)).Append("</th>");
        foreach (var (label, _) in groups)
        {
            html.Append("<th>").Append(E(label)).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var (label, cells) in rows)
        {
            html.Append("<tr><td>").Append(E(label)).Append("</td>");
            foreach (var cell in cells)
            {
                html.Append("<td>").Append(E(cell)).Append("</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table>");
    }

    /// <summary>The camrelizumab exposure rows, one cell per group, shared by the HTML and the CSV tables.</summary>
    internal static IReadOnlyList<(string Label, IReadOnlyList<string> Cells)> CamrelizumabRows(DsmbReportInput input, IReadOnlyList<(string Label, IReadOnlyCollection<Subject> Subjects)> groups)
    {
        var drug = TreatmentExposure.Camrelizumab(input.Exposures, input.Regimen).ToDictionary(x => x.SubjectId, StringComparer.Ordinal);
        var perGroup = groups.Select(g => (IReadOnlyList<DrugExposure>)[.. g.Subjects.Select(s => drug.GetValueOrDefault(s.SubjectId)).OfType<DrugExposure>()]).ToList();
        (string, IReadOnlyList<string>) Row(string label, Func<IReadOnlyList<DrugExposure>, string> cell) => (label, [.. perGroup.Select(cell)]);
        return
        [
            Row("Subjects with EX records (of dosed)", x => x.Count.ToString(CultureInfo.InvariantCulture)),
            Row("Administrations", x => TreatmentExposure.MedianRange(x.Select(d => (double)d.Administrations), "0")),
            Row("Duration on treatment, days", x => TreatmentExposure.MedianRange(x.Select(d => (double)d.DurationDays), "0")),
            Row("Cumulative dose, mg", x => TreatmentExposure.MedianRange(x.Where(d => d.CumulativeDoseMg is not null).Select(d => (double)d.CumulativeDoseMg!.Value), "0")),
            Row("Relative dose intensity, %", x => TreatmentExposure.MedianRange(x.Where(d => d.RelativeDoseIntensity is not null).Select(d => 100 * d.RelativeDoseIntensity!.Value), "0")),
            Row(string.Create(CultureInfo.InvariantCulture, $"Relative dose intensity < {100 * TreatmentExposure.LowIntensity:0}%"), x => x.Count(d => d.RelativeDoseIntensity < TreatmentExposure.LowIntensity).ToString(CultureInfo.InvariantCulture)),
            Row("Dose or unit (mg) missing: no cumulative dose", x => x.Count(d => d.CumulativeDoseMg is null).ToString(CultureInfo.InvariantCulture)),
        ];
    }

    /// <summary>The radiotherapy rows, one cell per group (closed report only: only one arm receives radiotherapy).</summary>
    internal static IReadOnlyList<(string Label, IReadOnlyList<string> Cells)> RadiotherapyRows(DsmbReportInput input, IReadOnlyList<(string Label, IReadOnlyCollection<Subject> Subjects)> groups)
    {
        var rt = TreatmentExposure.Radiotherapy(input.Exposures).ToDictionary(x => x.SubjectId, StringComparer.Ordinal);
        var perGroup = groups.Select(g => (IReadOnlyList<RadiotherapyDelivered>)[.. g.Subjects.Select(s => rt.GetValueOrDefault(s.SubjectId)).OfType<RadiotherapyDelivered>()]).ToList();
        (string, IReadOnlyList<string>) Row(string label, Func<IReadOnlyList<RadiotherapyDelivered>, string> cell) => (label, [.. perGroup.Select(cell)]);
        return
        [
            Row("Subjects with a fraction recorded", x => x.Count.ToString(CultureInfo.InvariantCulture)),
            Row("Fractions", x => TreatmentExposure.MedianRange(x.Select(r => (double)r.Fractions), "0")),
            Row("Total dose, Gy", x => TreatmentExposure.MedianRange(x.Where(r => r.TotalGy is not null).Select(r => (double)r.TotalGy!.Value), "0.0")),
            Row("Dose or unit (Gy, cGy) missing: no total", x => x.Count(r => r.TotalGy is null).ToString(CultureInfo.InvariantCulture)),
        ];
    }

    /// <summary>Disposition from DS: each subject once per scope, by the reason it ended, or ongoing.</summary>
    private static void Disposition(StringBuilder html, DsmbReportInput input, IReadOnlyList<(string Label, IReadOnlyCollection<Subject> Subjects)> groups)
    {
        html.Append("<h3>Disposition</h3>");
        if (input.Dispositions.Count == 0)
        {
            html.Append("<p>Not available: no DS (disposition) file has been received.</p>");
            return;
        }

        html.Append("<p>Randomized subjects, each once per scope by the latest disposition event that ended it (DS, DSCAT = DISPOSITION EVENT).</p>");
        foreach (var (scope, title) in new[] { (DispositionScope.Treatment, "Study treatment"), (DispositionScope.Study, "Study") })
        {
            html.Append("<table><thead><tr><th>").Append(title).Append(": status or reason</th>");
            foreach (var (label, subjects) in groups)
            {
                html.Append("<th>").Append(E(label)).Append(" (N = ").Append(subjects.Count).Append(")</th>");
            }

            html.Append("</tr></thead><tbody>");
            foreach (var row in DispositionCounts.Tabulate([.. groups.Select(g => g.Subjects)], input.Dispositions, scope))
            {
                html.Append("<tr><td>").Append(E(row.Term)).Append("</td>");
                for (var i = 0; i < groups.Count; i++)
                {
                    html.Append("<td>").Append(E(Percent(row.Counts[i], groups[i].Subjects.Count))).Append("</td>");
                }

                html.Append("</tr>");
            }

            html.Append("</tbody></table>");
        }
    }

    private static void Completeness(StringBuilder html, DsmbReportInput input)
    {
        html.Append("<h2>Data completeness</h2><p>Data cut: ").Append(E(input.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))).Append(".</p>");
        if (input.Completeness is not { } completeness)
        {
            html.Append("<p>Not available: this report was rendered without the ingest ledger.</p>");
            return;
        }

        html.Append("<table><thead><tr><th>Not in the counts</th><th>n</th><th>Meaning</th></tr></thead><tbody>");
        foreach (var c in completeness.Counts)
        {
            html.Append("<tr><td>").Append(E(c.Label)).Append("</td><td>").Append(c.Count).Append("</td><td class=\"text\">").Append(E(c.Meaning)).Append("</td></tr>");
        }

        html.Append("</tbody></table><p>Per site folder: its last file, and how far its AE data reach (the latest onset or end date among its events). A site whose data stop well before the data cut may be exporting late: its recent events are not in the counts yet.</p>")
            .Append("<table><thead><tr><th>Site folder</th><th>Files processed</th><th>Last file</th><th>Processed (UTC)</th><th>AE data through</th><th>Rows rejected</th></tr></thead><tbody>");
        foreach (var r in completeness.LastReceipts)
        {
            html.Append("<tr><td>").Append(E(r.Site)).Append("</td><td>").Append(r.Files).Append("</td><td class=\"text\">").Append(E(r.LastFile)).Append("</td><td>")
                .Append(E(r.ProcessedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))).Append("</td><td>")
                .Append(E(r.DataThrough?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "–")).Append("</td><td>").Append(r.RowsRejected).Append("</td></tr>");
        }

        html.Append("</tbody></table>");
    }

    /// <summary>Listings the DSMB reads subject by subject: every serious AE and every grade ≥3 AE.</summary>
    private static void Listings(StringBuilder html, DsmbReportInput input)
    {
        var armOf = input.Subjects.ToDictionary(x => x.SubjectId, x => x.Arm, StringComparer.Ordinal);
        foreach (var (heading, include) in new (string, Func<AdverseEvent, bool>)[] { ("Serious adverse events", e => e.Serious is true), ("Grade ≥3 adverse events", e => e.Grade.Value >= 3) })
        {
            var rows = input.Events.Where(include).OrderBy(e => armOf.GetValueOrDefault(e.SubjectId), StringComparer.Ordinal).ThenBy(e => e.SubjectId, StringComparer.Ordinal).ThenBy(e => e.Onset?.Earliest).ToList();
            html.Append("<h2>").Append(E(heading)).Append(" (").Append(rows.Count).Append(")</h2>");
            if (rows.Count == 0)
            {
                html.Append("<p>None reported.</p>");
                continue;
            }

            html.Append("<table class=\"listing\"><thead><tr>").Append(NewHeader(input)).Append("<th>Subject</th><th>Arm</th><th>CTCAE term</th><th>Grade</th><th>Serious</th><th>Onset</th><th>Related to camrelizumab</th><th>Related to RT</th><th>Outcome</th><th>Action taken</th></tr></thead><tbody>");
            foreach (var e in rows)
            {
                html.Append("<tr>").Append(NewCell(input, e)).Append("<td>").Append(E(e.SubjectId)).Append("</td><td>").Append(E(armOf.GetValueOrDefault(e.SubjectId) ?? "not in roster")).Append("</td><td>").Append(E(e.TermName))
                    .Append(e.TermName.EndsWith("Other, specify", StringComparison.Ordinal) ? ": " + E(e.VerbatimTerm ?? "not specified") : "")
                    .Append("</td><td>").Append(e.Grade.Value).Append("</td><td>").Append(Flag(e.Serious)).Append("</td><td>").Append(E(e.Onset?.ToString() ?? "–"))
                    .Append("</td><td>").Append(Flag(e.RelatedToCamrelizumab)).Append("</td><td>").Append(Flag(e.RelatedToRadiotherapy))
                    .Append("</td><td>").Append(E(e.Outcome ?? "not reported")).Append("</td><td>").Append(E(e.ActionTaken ?? "not reported")).Append("</td></tr>");
            }

            html.Append("</tbody></table>");
        }
    }

    private static void Terms(StringBuilder html, ArmSafetySummary arm, string heading)
    {
        html.Append("<h2>").Append(E(heading)).Append("</h2>");
        html.Append("<table><thead><tr><th>SOC / CTCAE term</th><th>Any</th><th>G1</th><th>G2</th><th>G3</th><th>G4</th><th>G5</th></tr></thead><tbody>");
        foreach (var soc in arm.Socs)
        {
            TermRow(html, soc, bold: true);
            foreach (var term in arm.Terms.Where(t => t.Soc == soc.Name))
            {
                TermRow(html, term, bold: false);
            }
        }

        html.Append("</tbody></table>");
    }

    private static void TermRow(StringBuilder html, TermCount count, bool bold)
    {
        html.Append("<tr><td>").Append(bold ? "<strong>" : "&nbsp;&nbsp;").Append(E(count.Name)).Append(bold ? "</strong>" : "").Append("</td><td>").Append(count.Subjects).Append("</td>");
        foreach (var n in count.SubjectsByWorstGrade)
        {
            html.Append("<td>").Append(n).Append("</td>");
        }

        html.Append("</tr>");
    }

    private static string Flag(bool? value) => value switch { true => "yes", false => "no", null => "not reported" };

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static string E(string value) => WebUtility.HtmlEncode(value);
}
