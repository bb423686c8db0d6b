using System.Globalization;
using System.Net;
using System.Text;

namespace Camrelizumab.Safety.Core.Alerts;

/// <summary>Composes the alert email. Subject IDs only, never verbatim text; every value is HTML-encoded.</summary>
public static class AlertEmail
{
    public static EmailContent Compose(DsmbAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var e = alert.Evaluation;
        var rule = e.Rule;
        var subject = $"[{alert.Study}] Stopping rule crossed: {rule.Title}, arm {alert.ArmLabel} ({e.Events}/{e.Evaluable})";
        var facts = new (string Label, string Value)[]
        {
            ("Study", alert.Study),
            ("Arm", $"{alert.ArmLabel} ({rule.Arm})"),
            ("Rule", $"{rule.Title} [{rule.Id}]"),
            ("Events / evaluable patients", $"{e.Events} / {e.Evaluable}"),
            ("Boundary at this n", e.BoundaryAtEvaluable is { } b ? $"stop if ≥ {b} events in {e.Evaluable}" : "no look at this n"),
            ("First crossing", e.DistanceText),
            ("Pending patients (window still open)", e.Pending.ToString(CultureInfo.InvariantCulture)),
            ("Method", FormattableString.Invariant($"{rule.Method}, p0 = {rule.P0}, α = {rule.Alpha}, N = {rule.MaxPatients}; achieved α = {e.Boundary.AchievedAlpha:0.0000}")),
            ("Subjects with the event", string.Join(", ", e.SubjectsWithEvent)),
            ("Alert id", alert.AlertId),
            ("Evaluation id (reproduces this decision)", alert.EvaluationId),
            ("Raised at (UTC)", alert.RaisedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)),
        };

        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"A toxicity stopping rule has been crossed in {alert.Study}.")
            .AppendLine()
            .AppendJoin(Environment.NewLine, facts.Select(f => $"{f.Label}: {f.Value}"))
            .AppendLine()
            .AppendLine()
            .AppendLine("Please review according to the DSMB charter. This message contains subject IDs only.")
            .ToString();

        var html = new StringBuilder()
            .Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
            .Append(Encode(subject))
            .Append("</title></head><body style=\"font-family:sans-serif\">")
            .Append("<h2 style=\"color:#b00020\">Stopping rule crossed</h2><p>A toxicity stopping rule has been crossed in <strong>")
            .Append(Encode(alert.Study))
            .Append("</strong>.</p><table style=\"border-collapse:collapse\">");
        foreach (var (label, value) in facts)
        {
            html.Append("<tr><th style=\"text-align:left;padding:4px 12px 4px 0;vertical-align:top\">")
                .Append(Encode(label))
                .Append("</th><td style=\"padding:4px 0\">")
                .Append(Encode(value))
                .Append("</td></tr>");
        }

        html.Append("</table><p>Please review according to the DSMB charter. This message contains subject IDs only.</p></body></html>");
        return new EmailContent($"alert.{alert.AlertId}@camrelizumab-safety", subject, text, html.ToString());
    }

    private static string Encode(string value) => WebUtility.HtmlEncode(value);
}
