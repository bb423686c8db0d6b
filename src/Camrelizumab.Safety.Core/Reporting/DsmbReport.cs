using System.Globalization;
using System.Net;
using System.Text;
using Camrelizumab.Safety.Core.Aggregation;
using Camrelizumab.Safety.Core.Stopping;

namespace Camrelizumab.Safety.Core.Reporting;

/// <summary>
/// The closed DSMB summary: by arm, self-contained HTML (no scripts, no network resources, print-friendly).
/// Every value from data is HTML-encoded.
/// </summary>
public static class DsmbReport
{
    public static string RenderClosed(DsmbReportInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var html = new StringBuilder();
        var title = $"{input.Study}: DSMB closed safety summary";
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append("</title><style>")
            .Append("body{font-family:sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin:8px 0 20px}")
            .Append("th,td{border:1px solid #bbb;padding:4px 8px;text-align:right}th:first-child,td:first-child{text-align:left}")
            .Append("thead th{background:#eef}.crossed{color:#b00020;font-weight:bold}.banner{border:2px solid #b00020;padding:6px 10px;display:inline-block}")
            .Append("@media print{.chart{page-break-inside:avoid}}</style></head><body>");
        html.Append("<h1>").Append(E(title)).Append("</h1>");
        html.Append("<p class=\"banner\">CLOSED REPORT: by arm, for DSMB members only.</p>");
        html.Append("<p>Data as of ").Append(E(input.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))
            .Append("; generated ").Append(E(input.GeneratedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)))
            .Append(". Rules ").Append(E(input.RulesVersion)).Append("; ").Append(E(input.DictionaryVersion))
            .Append("; evaluation ").Append(E(input.EvaluationId)).Append(".</p>");

        html.Append("<h2>Adverse event overview by arm</h2><p>Subjects counted once at their worst grade; percentages of randomized subjects.</p>");
        html.Append("<table><thead><tr><th>Subjects with …</th>");
        foreach (var arm in input.Summary.Arms)
        {
            html.Append("<th>").Append(E(arm.ArmLabel)).Append(" (N = ").Append(arm.Subjects).Append(")</th>");
        }

        html.Append("</tr></thead><tbody>");
        Row(html, "Dosed", input.Summary.Arms, a => a.DosedSubjects);
        Row(html, "Any AE", input.Summary.Arms, a => a.SubjectsWithAnyEvent);
        for (var g = 1; g <= 5; g++)
        {
            var grade = g;
            Row(html, $"Worst grade {grade}", input.Summary.Arms, a => a.SubjectsByWorstGrade[grade - 1]);
        }

        Row(html, "Grade ≥3", input.Summary.Arms, a => a.SubjectsWithGrade3OrWorse);
        Row(html, "Grade 5 (fatal)", input.Summary.Arms, a => a.SubjectsWithGrade5);
        Row(html, "Serious AE", input.Summary.Arms, a => a.SubjectsWithSerious);
        Row(html, "Treatment-related AE", input.Summary.Arms, a => a.SubjectsWithTreatmentRelated);
        Row(html, "Treatment-related grade ≥3", input.Summary.Arms, a => a.SubjectsWithTreatmentRelatedGrade3OrWorse);
        Row(html, "Related to camrelizumab", input.Summary.Arms, a => a.SubjectsWithCamrelizumabRelated);
        Row(html, "Related to radiotherapy", input.Summary.Arms, a => a.SubjectsWithRadiotherapyRelated);
        html.Append("</tbody></table>");
        if (input.Summary.EventsWithoutRosterSubject > 0)
        {
            html.Append("<p>").Append(input.Summary.EventsWithoutRosterSubject).Append(" event(s) belong to subjects not in the roster and are not counted above.</p>");
        }

        html.Append("<h2>Adverse events of special interest</h2><p>Subjects counted once per category at their worst grade (categories from the reviewed config/aesi.json).</p>");
        html.Append("<table><thead><tr><th>Category</th><th>Group</th>");
        foreach (var arm in input.Summary.Arms)
        {
            html.Append("<th>").Append(E(arm.ArmLabel)).Append(": any</th><th>grade ≥3</th>");
        }

        html.Append("</tr></thead><tbody>");
        var categories = input.Summary.Arms.Count == 0 ? [] : input.Summary.Arms[0].SpecialInterest;
        for (var i = 0; i < categories.Count; i++)
        {
            html.Append("<tr><td>").Append(E(categories[i].Name)).Append("</td><td>").Append(E(categories[i].Soc)).Append("</td>");
            foreach (var arm in input.Summary.Arms)
            {
                html.Append("<td>").Append(arm.SpecialInterest[i].Subjects).Append("</td><td>").Append(arm.SpecialInterest[i].SubjectsGrade3OrWorse).Append("</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table>");

        html.Append("<h2>Stopping rules</h2><table><thead><tr><th>Rule</th><th>Arm</th><th>Status</th><th>Events / evaluable</th><th>Boundary at n</th><th>Pending</th><th>Distance</th></tr></thead><tbody>");
        foreach (var e in input.Evaluations)
        {
            var crossed = e.Status == RuleStatus.Crossed;
            html.Append("<tr><td>").Append(E(e.Rule.Title)).Append("<br><small>").Append(E(e.Rule.Id)).Append("</small></td><td>").Append(E(e.Rule.Arm))
                .Append("</td><td").Append(crossed ? " class=\"crossed\"" : "").Append('>').Append(E(e.Status.ToString().ToUpperInvariant()))
                .Append("</td><td>").Append(e.Events).Append(" / ").Append(e.Evaluable)
                .Append("</td><td>").Append(e.BoundaryAtEvaluable is { } b ? "≥ " + b.ToString(CultureInfo.InvariantCulture) : "–")
                .Append("</td><td>").Append(e.Pending).Append("</td><td>").Append(E(e.DistanceText)).Append("</td></tr>");
        }

        html.Append("</tbody></table>");
        if (input.Multiplicity.Count > 0)
        {
            html.Append("<p>False-alarm probability of each arm's rules together, every endpoint at its p0 (exact, nesting from the definitions): ")
                .Append(E(string.Join("; ", input.Multiplicity.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Arm} {m.Exact:0.000} (independent endpoints: {m.Independent:0.000})")))))
                .Append(".</p>");
        }

        foreach (var e in input.Evaluations.Where(e => e.Status != RuleStatus.Infeasible))
        {
            html.Append("<div class=\"chart\"><h3>").Append(E($"{e.Rule.Title}: {e.Rule.Arm}")).Append("</h3>")
                .Append(BoundaryChart.Svg(e)).Append("</div>");
        }

        foreach (var arm in input.Summary.Arms)
        {
            html.Append("<h2>Adverse events by term at worst grade: ").Append(E(arm.ArmLabel)).Append("</h2>");
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

        html.Append("</body></html>");
        return html.ToString();
    }

    private static void Row(StringBuilder html, string label, IReadOnlyList<ArmSafetySummary> arms, Func<ArmSafetySummary, int> count)
    {
        html.Append("<tr><td>").Append(E(label)).Append("</td>");
        foreach (var arm in arms)
        {
            var n = count(arm);
            html.Append("<td>").Append(n).Append(arm.Subjects > 0 ? string.Create(CultureInfo.InvariantCulture, $" ({100.0 * n / arm.Subjects:0.0}%)") : "").Append("</td>");
        }

        html.Append("</tr>");
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

    private static string E(string value) => WebUtility.HtmlEncode(value);
}
