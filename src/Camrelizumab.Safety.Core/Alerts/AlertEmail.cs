using System.Globalization;
using System.Net;
using System.Text;
using Camrelizumab.Safety.Core.Ingest;
using Camrelizumab.Safety.Core.Stopping;

namespace Camrelizumab.Safety.Core.Alerts;

/// <summary>
/// Composes every message the pipeline sends. Identifiers, codes and counts only, never verbatim text; every value is
/// HTML-encoded. Messages with by-arm content have a blinded twin for recipients not allowed to see arms.
/// </summary>
public static class AlertEmail
{
    /// <summary>A crossing, with arm, counts, boundary, distance, subject IDs and the evaluation that reproduces it.</summary>
    /// <param name="previous">The last DSMB summary's result for the same rule, for "what changed"; null when there was none.</param>
    public static EmailContent Compose(DsmbAlert alert, RuleEvaluationSnapshot? previous = null)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var e = alert.Evaluation;
        var rule = e.Rule;
        var crossing = e.Crossing ?? throw new ArgumentException("Only a crossed rule is alerted.", nameof(alert));
        var subject = FormattableString.Invariant(
            $"[{alert.Study}] Stopping rule crossed: {rule.Title}, arm {alert.ArmLabel} (crossed at look {crossing.Look}, boundary {crossing.Boundary})");
        (string, string)[] facts =
        [
            ("Study", alert.Study),
            ("Arm", $"{alert.ArmLabel} ({rule.Arm})"),
            ("Rule", $"{rule.Title} [{rule.Id}]"),
            ("What crossed", RuleEvaluation.CrossingText(crossing)),
            ("Stays crossed", "Yes: further data can only add events among these subjects; only a data correction can undo it."),
            ("Now, for context", Now(e)),
            ("Method", FormattableString.Invariant($"{rule.Method}, p0 = {rule.P0}, α = {rule.Alpha}, N = {rule.MaxPatients}; achieved α = {e.Boundary.AchievedAlpha:0.0000}")),
            ("Subjects with the event", string.Join(", ", e.SubjectsWithEvent)),
            ("Since the last DSMB summary", previous is null
                ? "no earlier summary"
                : $"{previous.Events}/{previous.Evaluable} on {previous.AsOf:yyyy-MM-dd} (status {previous.Status}) → {e.Events}/{e.Evaluable} now"),
            ("Alert id (acknowledge with: safety ack ID)", alert.AlertId),
            ("Evaluation id (reproduces this decision: safety rules recompute)", alert.EvaluationId),
            ("Raised at (UTC)", Utc(alert.RaisedAt)),
        ];
        return Build($"alert.{alert.AlertId}", subject, "Stopping rule crossed", $"A toxicity stopping rule has been crossed in {alert.Study}.", facts,
            "Please review according to the DSMB charter. This message contains subject IDs only.");
    }

    /// <summary>Counts now and the boundary of the look that will judge every subject dosed so far: context, not the decision.</summary>
    private static string Now(RuleEvaluation e)
    {
        var look = e.BoundaryAtEnrolled is { } b ? FormattableString.Invariant($"stops at ≥ {b} events") : "is not a planned look";
        return FormattableString.Invariant($"{e.Events} events; {e.Evaluable} evaluated and {e.Pending} pending of {e.Enrolled} enrolled; the look at {e.Enrolled} {look}");
    }

    /// <summary>The twin for recipients who may not see arms: that a rule needs DSMB review, nothing by arm.</summary>
    public static EmailContent ComposeBlinded(DsmbAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var subject = $"[{alert.Study}] A safety stopping rule requires DSMB review";
        (string, string)[] facts =
        [
            ("Study", alert.Study),
            ("Endpoint", alert.Evaluation.Rule.Title),
            ("Alert id", alert.AlertId + ".blinded"),
            ("Raised at (UTC)", Utc(alert.RaisedAt)),
        ];
        return Build($"alert.{alert.AlertId}.blinded", subject, "DSMB review requested",
            $"A toxicity stopping rule in {alert.Study} has been referred to the DSMB. Arm-level details go to the DSMB and the unblinded safety physicians only.",
            facts, "No action is needed from you unless the DSMB asks for it.");
    }

    /// <summary>Corrected data no longer cross a rule that was alerted: say so, naming the alert it corrects.</summary>
    public static EmailContent ComposeCorrection(string study, string armLabel, RuleEvaluation now, string correctedAlertId, string evaluationId, DateTimeOffset raisedAt)
    {
        ArgumentNullException.ThrowIfNull(now);
        var subject = $"[{study}] CORRECTION: {now.Rule.Title}, arm {armLabel} no longer crosses its boundary ({now.Events}/{now.Evaluable})";
        (string, string)[] facts =
        [
            ("Study", study),
            ("Arm", $"{armLabel} ({now.Rule.Arm})"),
            ("Rule", $"{now.Rule.Title} [{now.Rule.Id}]"),
            ("Corrects alert", correctedAlertId),
            ("Now", Now(now)),
            ("Distance", now.DistanceText),
            ("Subjects with the event now", string.Join(", ", now.SubjectsWithEvent)),
            ("Evaluation id", evaluationId),
            ("Raised at (UTC)", Utc(raisedAt)),
        ];
        return Build($"correction.{correctedAlertId}", subject, "Correction: rule no longer crossed",
            $"Corrected data in {study} no longer cross a stopping rule that was alerted earlier (alert {correctedAlertId}). The earlier alert and this correction are both kept in the alert ledger.",
            facts, "Please review according to the DSMB charter. This message contains subject IDs only.");
    }

    /// <summary>An expedited alert raised at ingest, with its ICH E2A clock.</summary>
    public static EmailContent ComposeExpedited(ExpeditedAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var e = alert.Event;
        var what = alert.Kind == ExpeditedKind.TreatmentRelatedDeath ? "Treatment-related death" : "SUSAR candidate (serious, related, unexpected)";
        var subject = $"[{alert.Study}] EXPEDITED: {what}, subject {e.SubjectId}, {e.Term.Name} grade {e.Grade} (due {alert.DueAt:yyyy-MM-dd})";
        (string, string)[] facts =
        [
            ("Study", alert.Study),
            ("Subject", e.SubjectId),
            ("Arm", alert.ArmLabel ?? "not in the roster yet"),
            ("AE id", e.AeId),
            ("CTCAE v5.0 term", $"{e.Term.Name} ({e.Term.Code}), {e.Term.Soc}"),
            ("Grade", e.Grade.ToString()),
            ("Serious", Flag(e.Serious)),
            ("Related to camrelizumab", Flag(e.RelatedToCamrelizumab)),
            ("Related to radiotherapy", Flag(e.RelatedToRadiotherapy)),
            ("Onset", e.Onset?.ToString() ?? "not reported"),
            ("Outcome", e.Outcome ?? "not reported"),
            ("File received (day 0, UTC)", Utc(alert.ReceivedAt)),
            ("Report due (ICH E2A)", $"{alert.DueAt:yyyy-MM-dd} ({(alert.IsFatalOrLifeThreatening ? "7" : "15")} calendar days)"),
            ("Source", $"{e.Source.FileName}, line {e.Source.Line}"),
            ("Alert id (acknowledge with: safety ack ID)", alert.AlertId),
        ];
        return Build($"expedited.{alert.AlertId}", subject, what,
            $"An event reported in {alert.Study} needs expedited review.", facts,
            "Assess causality and expectedness and report within the clock if confirmed. This message contains identifiers only.");
    }

    /// <summary>The periodic DSMB summary email; the closed report travels as an attachment.</summary>
    public static EmailContent ComposeSummary(string study, DateOnly asOf, string evaluationId, IReadOnlyList<RuleEvaluation> evaluations, string reportName, string occurrenceId)
    {
        ArgumentNullException.ThrowIfNull(evaluations);
        var crossed = evaluations.Where(e => e.Status == RuleStatus.Crossed).ToList();
        var subject = $"[{study}] DSMB safety summary as of {asOf:yyyy-MM-dd}: {crossed.Count} stopping rule(s) crossed";
        (string, string)[] facts =
        [
            ("Study", study),
            ("Data as of", asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            ("Rules crossed", crossed.Count == 0 ? "none" : string.Join("; ", crossed.Select(e => $"{e.Rule.Title} [{e.Rule.Arm}] {e.Events}/{e.Evaluable}"))),
            ("Rules evaluated", evaluations.Count.ToString(CultureInfo.InvariantCulture)),
            ("Closed report (attached)", reportName),
            ("Evaluation id", evaluationId),
        ];
        return Build($"summary.{occurrenceId}", subject, "DSMB safety summary",
            $"The closed (by-arm) safety summary of {study} is attached.", facts,
            "For DSMB members only. Open the attachment in a browser; it needs no network access.");
    }

    /// <summary>
    /// What a data manager needs after a drop with problems: counts, reasons and where each rejected row is. Raw values
    /// stay in the report blob (they can hold free text); the email names lines, columns and reason codes only.
    /// </summary>
    public static EmailContent ComposeIngestReport(string study, IngestReport report, string reportBlob)
    {
        ArgumentNullException.ThrowIfNull(report);
        var quarantined = report.Status == "quarantined";
        var subject = quarantined
            ? $"[{study}] File quarantined: {report.FileName}"
            : $"[{study}] Ingest of {report.FileName}: {report.RowsRejected} of {report.RowsRead} rows rejected";
        var facts = new List<(string, string)>
        {
            ("File", report.FileName),
            ("SHA-256", report.Sha256),
            ("Status", report.Status),
        };
        if (quarantined)
        {
            facts.Add(("Why", report.FileError ?? "unknown"));
            facts.Add(("Attempts", report.AttemptErrors.Count.ToString(CultureInfo.InvariantCulture)));
        }
        else
        {
            facts.Add(("Rows read / accepted / rejected", FormattableString.Invariant($"{report.RowsRead} / {report.RowsAccepted} / {report.RowsRejected}")));
            facts.Add(("Rejected by reason", string.Join(", ", report.RejectionsByReason.Select(p => $"{p.Key}: {p.Value}"))));
            facts.Add(("Coded for review (fuzzy or qualifier dropped)", report.CodedForReview.Count.ToString(CultureInfo.InvariantCulture)));
            facts.Add(("Grade queries (reported grade differs from the lab result's CTCAE grade)", report.LabGradeQueries.Count.ToString(CultureInfo.InvariantCulture)));
            if (report.Changes is { } changes)
            {
                facts.Add(("Source", changes.FullExport ? $"{changes.Source} (full export)" : changes.Source));
                facts.Add(("AEs new / changed / unchanged / reappeared", FormattableString.Invariant($"{changes.Inserted} / {changes.Updated} / {changes.Unchanged} / {changes.Restored}")));
                if (changes.DeletionsHeld)
                {
                    facts.Add(("DELETIONS HELD", FormattableString.Invariant($"this full export lacks {changes.DeletedEvents.Count} of the source's AEs, more than half; nothing was marked deleted. If the export is complete, apply them with: safety deletions confirm {report.Sha256}")));
                }
                else if (changes.Deleted > 0)
                {
                    facts.Add(("AEs marked deleted (missing from this full export)", FormattableString.Invariant($"{changes.Deleted}: {string.Join(", ", changes.DeletedEvents.Take(20))}")));
                }
            }

            foreach (var q in report.LabGradeQueries.Take(20))
            {
                facts.Add(($"Line {q.Line}", FormattableString.Invariant($"subject {q.SubjectId}, AE {q.AeId}: {q.Term} reported grade {q.ReportedGrade}, lab result grade {q.LabGrade}")));
            }
            foreach (var r in report.Rejections.Take(20))
            {
                facts.Add(($"Line {r.Line}", $"column {r.Column}: {r.ReasonCode}"));
            }

            if (report.RowsRejected > 20)
            {
                facts.Add(("…", FormattableString.Invariant($"{report.RowsRejected - 20} more in the report")));
            }
        }

        facts.Add(("Full report", $"ingest-reports/{reportBlob}"));
        if (report.RejectionsCsvBlob is { } csv)
        {
            facts.Add(("Every rejected row with its value (CSV)", $"ingest-reports/{csv}"));
        }

        return Build($"ingest.{report.Sha256[..16]}", subject, quarantined ? "File quarantined" : "Rows rejected at ingest",
            quarantined ? "A dropped file could not be read and was quarantined; the original is archived." : "Some rows of a dropped file were not accepted. Please correct them at the source and drop the file again.",
            facts, "Raw values are in the report blobs, not in this email.");
    }

    /// <summary>The same message again, to the escalation list, because nobody acknowledged it in time.</summary>
    public static EmailContent ComposeEscalation(EmailContent original, string alertId, TimeSpan unacknowledgedFor)
    {
        ArgumentNullException.ThrowIfNull(original);
        var hours = unacknowledgedFor.TotalHours.ToString("0", CultureInfo.InvariantCulture);
        var note = $"ESCALATION: alert {alertId} has not been acknowledged for {hours} hours.";
        return new EmailContent(
            $"escalation.{alertId}@camrelizumab-safety",
            $"[ESCALATION, unacknowledged {hours} h] {original.Subject}",
            note + Environment.NewLine + Environment.NewLine + original.PlainText,
            original.Html.Replace("<body style=\"font-family:sans-serif\">", $"<body style=\"font-family:sans-serif\"><p style=\"color:#b00020;font-weight:bold\">{Encode(note)}</p>", StringComparison.Ordinal));
    }

    private static EmailContent Build(string id, string subject, string heading, string intro, IEnumerable<(string Label, string Value)> facts, string footer)
    {
        var list = facts.ToList();
        var text = new StringBuilder()
            .AppendLine(intro)
            .AppendLine()
            .AppendJoin(Environment.NewLine, list.Select(f => $"{f.Label}: {f.Value}"))
            .AppendLine()
            .AppendLine()
            .AppendLine(footer)
            .ToString();
        var html = new StringBuilder()
            .Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(Encode(subject))
            .Append("</title></head><body style=\"font-family:sans-serif\"><h2 style=\"color:#b00020\">").Append(Encode(heading))
            .Append("</h2><p>").Append(Encode(intro)).Append("</p><table style=\"border-collapse:collapse\">");
        foreach (var (label, value) in list)
        {
            html.Append("<tr><th style=\"text-align:left;padding:4px 12px 4px 0;vertical-align:top\">").Append(Encode(label))
                .Append("</th><td style=\"padding:4px 0\">").Append(Encode(value)).Append("</td></tr>");
        }

        html.Append("</table><p>").Append(Encode(footer)).Append("</p></body></html>");
        return new EmailContent($"{id}@camrelizumab-safety", subject, text, html.ToString());
    }

    private static string Flag(bool? value) => value switch { true => "yes", false => "no", null => "not reported" };

    private static string Utc(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Encode(string value) => WebUtility.HtmlEncode(value);
}
