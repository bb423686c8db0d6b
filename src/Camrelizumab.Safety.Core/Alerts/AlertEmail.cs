using System.Globalization;
using System.Net;
using System.Text;
using Camrelizumab.Safety.Core.Ingest;
using Camrelizumab.Safety.Core.Queries;
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
    /// <param name="queries">How much of the data is provisional; stated so a pending count is not taken for a final one.</param>
    public static EmailContent Compose(DsmbAlert alert, RuleEvaluationSnapshot? previous = null, DataQuerySummary? queries = null)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var e = alert.Evaluation;
        var rule = e.Rule;
        var crossing = e.Crossing ?? throw new ArgumentException("Only a crossed rule is alerted.", nameof(alert));
        var subject = FormattableString.Invariant(
            $"[{alert.Study}] Stopping rule crossed: {rule.Title}, arm {alert.ArmLabel} (crossed at look {crossing.Look}, boundary {crossing.Boundary})");
        List<(string, string)> facts =
        [
            ("Study", alert.Study),
            ("Arm", $"{alert.ArmLabel} ({rule.Arm})"),
            ("Rule", $"{rule.Title} [{rule.Id}]"),
            ("What crossed", RuleEvaluation.CrossingText(crossing)),
            ("Stays crossed", "Yes: further data can only add events among these subjects; only a data correction can undo it."),
            ("Now, for context", Now(e)),
            ("Method", FormattableString.Invariant($"{rule.Method.Name()}, p0 = {rule.P0}, α = {rule.Alpha}, N = {rule.MaxPatients}; achieved α = {e.Boundary.AchievedAlpha:0.0000}")),
            ("Subjects with the event", string.Join(", ", e.SubjectsWithEvent)),
            ("Since the last DSMB summary", previous is null
                ? "no earlier summary"
                : $"{previous.Events}/{previous.Evaluable} on {previous.AsOf:yyyy-MM-dd} (status {previous.Status}) → {e.Events}/{e.Evaluable} now"),
            ("Alert id (acknowledge with: safety ack ID)", alert.AlertId),
            ("Evaluation id (reproduces this decision: safety rules recompute)", alert.EvaluationId),
            ("Raised at (UTC)", Utc(alert.RaisedAt)),
        ];
        AddQueryFacts(facts, queries);
        return Build($"alert.{alert.AlertId}", subject, "Stopping rule crossed", $"A toxicity stopping rule has been crossed in {alert.Study}.", facts,
            "Please review according to the DSMB charter. This message contains subject IDs only.");
    }

    /// <summary>Counts now and the boundary of the look that will judge every subject dosed so far: context, not the decision.</summary>
    private static string Now(RuleEvaluation e)
    {
        var look = e.BoundaryAtEnrolled is { } b ? FormattableString.Invariant($"stops at ≥ {b} events") : "is not a planned look";
        return FormattableString.Invariant($"{e.Events} events; {e.Evaluable} evaluated and {e.Pending} pending of {e.Enrolled} enrolled; the look at {e.Enrolled} {look}");
    }

    /// <summary>
    /// The id a blinded recipient sees for an alert: alert ids name the rule and arm (<c>fistula-camrt.camrt.1</c>), so
    /// the blinded notice, its Message-ID and its ledger entry carry a digest of the id instead, which reveals no arm.
    /// </summary>
    public static string BlindedReference(string alertId)
    {
        ArgumentNullException.ThrowIfNull(alertId);
        return "blinded." + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(alertId)))[..12];
    }

    /// <summary>The twin for recipients who may not see arms: that a rule needs DSMB review, nothing by arm.</summary>
    public static EmailContent ComposeBlinded(DsmbAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var reference = BlindedReference(alert.AlertId);
        var subject = $"[{alert.Study}] A safety stopping rule requires DSMB review";
        (string, string)[] facts =
        [
            ("Study", alert.Study),
            ("Endpoint", alert.Evaluation.Rule.Title),
            ("Reference", reference),
            ("Raised at (UTC)", Utc(alert.RaisedAt)),
        ];
        return Build($"alert.{reference}", subject, "DSMB review requested",
            $"A toxicity stopping rule in {alert.Study} has been referred to the DSMB. Arm-level details go to the DSMB and the unblinded safety physicians only.",
            facts, "No action is needed from you unless the DSMB asks for it.");
    }

    /// <summary>
    /// A rule not crossed on the coded data that would cross if the events awaiting coding qualified: worded as a
    /// possibility, sent once, and confirmed (by the crossing alert) or cleared when the events are coded.
    /// </summary>
    public static EmailContent ComposePossibleCrossing(string study, string armLabel, RuleEvaluation observed, RuleEvaluation ifUncodedQualified, string alertId, string evaluationId, DateTimeOffset raisedAt, DataQuerySummary queries)
    {
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(ifUncodedQualified);
        ArgumentNullException.ThrowIfNull(queries);
        var rule = observed.Rule;
        var subject = $"[{study}] POSSIBLE crossing pending coding: {rule.Title}, arm {armLabel} ({observed.Events} coded, {ifUncodedQualified.Events} if uncoded events qualify)";
        List<(string, string)> facts =
        [
            ("Study", study),
            ("Arm", $"{armLabel} ({rule.Arm})"),
            ("Rule", $"{rule.Title} [{rule.Id}]"),
            ("Events / evaluable on coded data", $"{observed.Events} / {observed.Evaluable} (not crossed)"),
            ("If every event awaiting coding qualified", $"{ifUncodedQualified.Events} / {ifUncodedQualified.Evaluable}: {ifUncodedQualified.DistanceText}"),
            ("Subjects who would count", string.Join(", ", ifUncodedQualified.SubjectsWithEvent)),
            ("What resolves it", "A coder assigns terms to the events awaiting coding (safety coding pending / safety coding assign). The next evaluation then confirms the crossing with a crossing alert, or clears this notice."),
            ("Alert id (acknowledge with: safety ack ID)", alertId),
            ("Evaluation id", evaluationId),
            ("Raised at (UTC)", Utc(raisedAt)),
        ];
        AddQueryFacts(facts, queries);
        return Build($"alert.{alertId}", subject, "Possible crossing pending coding",
            $"A toxicity stopping rule in {study} may have been crossed: whether it has depends on events whose term awaits coding. This is not yet a crossing.",
            facts, "Please review according to the DSMB charter. This message contains subject IDs only.");
    }

    /// <summary>The events behind a possible crossing were coded and the rule is not crossed: the possibility is cleared.</summary>
    public static EmailContent ComposePossibleCrossingCleared(string study, string armLabel, RuleEvaluation now, string possibleAlertId, string evaluationId, DateTimeOffset raisedAt)
    {
        ArgumentNullException.ThrowIfNull(now);
        (string, string)[] facts =
        [
            ("Study", study),
            ("Arm", $"{armLabel} ({now.Rule.Arm})"),
            ("Rule", $"{now.Rule.Title} [{now.Rule.Id}]"),
            ("Clears", possibleAlertId),
            ("Events / evaluable now", $"{now.Events} / {now.Evaluable}"),
            ("Distance", now.DistanceText),
            ("Evaluation id", evaluationId),
            ("Raised at (UTC)", Utc(raisedAt)),
        ];
        return Build($"cleared.{possibleAlertId}", $"[{study}] Possible crossing cleared after coding: {now.Rule.Title}, arm {armLabel}", "Possible crossing cleared",
            $"The events awaiting coding behind possible crossing {possibleAlertId} in {study} have been coded (or corrected), and the rule is not crossed.",
            facts, "No action is needed. This message contains identifiers only.");
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

    /// <summary>An expedited alert raised at ingest, with its ICH E2A clock and every reason it is expedited.</summary>
    /// <param name="alertId">The ledger id: the event's alert id, or a follow-up id when the event gained a reason later.</param>
    public static EmailContent ComposeExpedited(ExpeditedAlert alert, string? alertId = null, DataQuerySummary? queries = null)
    {
        ArgumentNullException.ThrowIfNull(alert);
        alertId ??= alert.AlertId;
        var e = alert.Event;
        var followUp = alertId != alert.AlertId;
        var subject = $"[{alert.Study}] EXPEDITED{(followUp ? " follow-up" : "")}: {alert.Reasons}, subject {e.SubjectId}, {(e.IsUncoded ? "uncoded term" : e.TermName)} grade {e.Grade} (due {alert.DueAt:yyyy-MM-dd})";
        List<(string, string)> facts =
        [
            ("Study", alert.Study),
            ("Subject", e.SubjectId),
            ("Arm", alert.ArmLabel ?? "not in the roster yet (an update naming the arm follows when the roster arrives)"),
            ("AE id", e.AeId),
            ("Why expedited", alert.Reasons),
            ("Verbatim term", e.VerbatimTerm ?? "not reported"),
            ("CTCAE v5.0 term", e.Term is { } term ? $"{term.Name} ({term.Code}), {term.Soc}" : "awaiting coding"),
            ("Grade", e.Grade.ToString()),
            ("Serious", Flag(e.Serious)),
            ("Related to camrelizumab", Flag(e.RelatedToCamrelizumab)),
            ("Related to radiotherapy", Flag(e.RelatedToRadiotherapy)),
            ("Onset", e.Onset?.ToString() ?? "not reported"),
            ("Outcome", e.Outcome ?? "not reported"),
        ];
        if (e.Queries.Count > 0)
        {
            facts.Add(("Open data queries on this event", string.Join("; ", e.Queries.Select(q => q.Code))));
        }

        facts.AddRange(
        [
            ("Event first received (day 0, UTC)", Utc(alert.ReceivedAt)),
            ("Report due (ICH E2A)", $"{alert.DueAt:yyyy-MM-dd} ({(alert.IsFatalOrLifeThreatening ? "7" : "15")} calendar days)"),
            ("Source", $"{e.Source.FileName}, line {e.Source.Line}"),
            ("Alert id (acknowledge with: safety ack ID)", alertId),
        ]);
        AddQueryFacts(facts, queries);
        return Build(alertId, subject, followUp ? "Expedited follow-up: new reason" : "Expedited safety event",
            followUp
                ? $"An event already alerted in {alert.Study} now qualifies for expedited review for another reason."
                : $"An event reported in {alert.Study} needs expedited review.",
            [.. facts],
            "Assess causality and expectedness and report within the clock if confirmed. This message contains identifiers only.");
    }

    /// <summary>The update to an expedited alert sent before the subject was in any roster: the arm is now known.</summary>
    public static EmailContent ComposeExpeditedArmUpdate(string study, string alertId, string subjectId, string aeId, string armLabel)
    {
        (string, string)[] facts =
        [
            ("Study", study),
            ("Subject", subjectId),
            ("AE id", aeId),
            ("Arm", armLabel),
            ("Updates alert", alertId),
        ];
        return Build(alertId + ".arm", $"[{study}] EXPEDITED update: subject {subjectId} is in arm {armLabel} ({alertId})", "Expedited alert update: arm now known",
            $"The subject of expedited alert {alertId} was not in any roster when the alert went out. A roster now names the subject's arm.",
            facts, "No new event: this completes the earlier alert. This message contains identifiers only.");
    }

    /// <summary>Adds the open-query lines every alert carries, so no reader takes a pending count for a final one.</summary>
    private static void AddQueryFacts(List<(string, string)> facts, DataQuerySummary? queries)
    {
        if (queries is null)
        {
            return;
        }

        facts.Add(("Events awaiting coding", queries.AwaitingCodingText));
        facts.Add(("Events under a grade query", queries.GradeQueryText));
        if (queries.EventsWithoutRosterSubject > 0)
        {
            facts.Add(("Events for subjects not in the roster", queries.EventsWithoutRosterSubject.ToString(CultureInfo.InvariantCulture)));
        }
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
    /// What a data manager needs after a drop: what needs doing first (a quarantined file, deletions held, serious events
    /// awaiting coding, grade queries), then every other query on a stored event and every refused row as a sentence
    /// naming line, subject, AE id and column, in line order. The subject line says what happened. Raw values stay in the
    /// report blobs (they can hold free text).
    /// </summary>
    public static EmailContent ComposeIngestReport(string study, IngestReport report, string reportBlob)
    {
        ArgumentNullException.ThrowIfNull(report);
        var quarantined = report.Status == IngestReportStatus.Quarantined;
        var held = report.Changes is { DeletionsHeld: true } changesHeld ? changesHeld : null;
        var uncodedSerious = report.Queries.Where(q => q.Query.IsCoding && q.Serious == true).OrderBy(q => q.Line).ToList();
        var gradeQueries = report.Queries.Where(q => q.Query.IsGrading).OrderBy(q => q.Line).ToList();
        var otherQueries = report.Queries.Except(uncodedSerious).Except(gradeQueries).OrderBy(q => q.Line).ToList();
        var refused = report.Rejections.OrderBy(r => r.Line).ToList();

        var happened = new List<string>();
        if (held is not null)
        {
            happened.Add(FormattableString.Invariant($"DELETIONS HELD ({held.DeletedEvents.Count} AEs missing)"));
        }

        if (report.SeriousAwaitingCoding > 0)
        {
            happened.Add(FormattableString.Invariant($"{report.SeriousAwaitingCoding} serious event(s) awaiting coding"));
        }

        if (gradeQueries.Count > 0)
        {
            happened.Add(FormattableString.Invariant($"{gradeQueries.Count} grade quer{(gradeQueries.Count == 1 ? "y" : "ies")}"));
        }

        happened.Add(FormattableString.Invariant($"{report.RowsAccepted} of {report.RowsRead} rows stored"));
        if (report.EventsWithQueries > 0)
        {
            happened.Add(FormattableString.Invariant($"{report.EventsWithQueries} with open queries"));
        }

        if (report.RowsRejected > 0)
        {
            happened.Add(FormattableString.Invariant($"{report.RowsRejected} refused"));
        }

        if (report.Changes is { DeletionsHeld: false, Deleted: > 0 } deleted)
        {
            happened.Add(FormattableString.Invariant($"{deleted.Deleted} AE(s) marked deleted"));
        }

        var subject = quarantined
            ? $"[{study}] {report.FileName} could not be read and is quarantined: nothing from it is stored"
            : $"[{study}] {report.FileName}: {string.Join(", ", happened)}";

        var facts = new List<(string, string)>();
        if (quarantined)
        {
            facts.Add(("Needs doing", $"The file could not be read ({report.FileError ?? "unknown error"}). {NextStep(report.FileError)}"));
        }

        if (held is not null)
        {
            facts.Add(("Needs doing: DELETIONS HELD", FormattableString.Invariant(
                $"This full export of source {held.Source} lacks {held.DeletedEvents.Count} of its AEs, more than half, so it may be truncated and nothing was marked deleted. If it is complete, apply the deletions with: safety deletions confirm {report.Sha256}. If not, drop the complete export.")));
        }

        foreach (var q in uncodedSerious.Take(MaxListedRows))
        {
            facts.Add(($"Needs doing: line {q.Line}", $"Subject {q.SubjectId}, AE {q.AeId} is a serious event whose term is awaiting coding. It is stored and counted in every term-independent count and rule; a coder should assign a term first (safety coding pending, safety coding assign)."));
        }

        foreach (var q in gradeQueries.Take(MaxListedRows))
        {
            facts.Add(($"Grade query: line {q.Line}", $"Subject {q.SubjectId}, AE {q.AeId}, column {q.Column}: {q.Code}. {QueryMessages.Describe(q.Query.Kind, null)} Please query the site."));
        }

        facts.Add(("File", report.FileName));
        facts.Add(("SHA-256", report.Sha256));
        if (quarantined)
        {
            facts.Add(("Attempts", report.AttemptErrors.Count.ToString(CultureInfo.InvariantCulture)));
        }
        else
        {
            facts.Add(("Rows read / stored / refused", FormattableString.Invariant($"{report.RowsRead} / {report.RowsAccepted} / {report.RowsRejected}")));
            facts.Add(("Events stored with open queries (counted conservatively meanwhile)", report.EventsWithQueries.ToString(CultureInfo.InvariantCulture)));
            if (report.QueriesByKind.Count > 0)
            {
                facts.Add(("Queries by kind", string.Join(", ", report.QueriesByKind.Select(p => $"{p.Key}: {p.Value}"))));
            }

            facts.Add(("Coded for review (fuzzy or qualifier dropped)", report.CodedForReview.Count.ToString(CultureInfo.InvariantCulture)));
            if (report.Changes is { } changes)
            {
                facts.Add(("Source", changes.FullExport ? $"{changes.Source} (full export)" : changes.Source));
                facts.Add(("AEs new / changed / unchanged / reappeared", FormattableString.Invariant($"{changes.Inserted} / {changes.Updated} / {changes.Unchanged} / {changes.Restored}")));
                if (!changes.DeletionsHeld && changes.Deleted > 0)
                {
                    facts.Add(("AEs marked deleted (missing from this full export)", FormattableString.Invariant($"{changes.Deleted}: {string.Join(", ", changes.DeletedEvents.Take(20))}")));
                }
            }

            foreach (var q in otherQueries.Take(MaxListedRows))
            {
                facts.Add(($"Query: line {q.Line}", $"Subject {q.SubjectId}, AE {q.AeId}, column {q.Column}: {q.Code}. {QueryMessages.Describe(q.Query.Kind, null)}"));
            }

            foreach (var r in refused.Take(MaxListedRows))
            {
                facts.Add(($"Refused: line {r.Line}", $"{Whose(r)}, column {r.Column}: {r.Message}"));
            }

            var unlisted = (report.Queries.Count - Math.Min(uncodedSerious.Count, MaxListedRows) - Math.Min(gradeQueries.Count, MaxListedRows) - Math.Min(otherQueries.Count, MaxListedRows))
                + (report.RowsRejected - Math.Min(refused.Count, MaxListedRows));
            if (unlisted > 0)
            {
                facts.Add(("…", FormattableString.Invariant($"{unlisted} more queries or refused rows in the report (safety queries and safety receipts list them all)")));
            }
        }

        facts.Add(("Full report", $"ingest-reports/{reportBlob} (or: safety receipts {report.FileName})"));
        if (report.RejectionsCsvBlob is { } csv)
        {
            facts.Add(("Every refused row with its value (CSV)", $"ingest-reports/{csv}"));
        }

        var intro = quarantined
            ? "A dropped file could not be read, so nothing from it is stored; the original is archived. What to do comes first below."
            : "Every row of this file that names a subject and an event was stored and is counted. What needs doing comes first: open queries need an answer from the site (or a coder, for terms awaiting coding); refused rows need correcting at the source.";
        return Build($"ingest.{report.Sha256[..16]}", subject, quarantined ? "File quarantined" : "After your drop: what needs doing", intro, facts, "Raw values are in the report blobs, not in this email.");
    }

    /// <summary>Listed per kind of line; the rest are counted and in the report. Keeps the message well inside the alert
    /// ledger's 64 KiB property limit (the CDISC pilot's 700 uncoded rows would otherwise overflow it).</summary>
    private const int MaxListedRows = 20;

    private static string Whose(RowRejection rejection) =>
        (rejection.SubjectId, rejection.AeId) switch
        {
            ({ } subject, { } ae) => $"Subject {subject}, AE {ae}",
            ({ } subject, null) => $"Subject {subject}",
            _ => "A row without a readable subject",
        };

    /// <summary>What a data manager does about a file that could not be read, by its reason code.</summary>
    private static string NextStep(string? fileError) =>
        (fileError ?? "").Split([' ', ':'], 2)[0] switch
        {
            "unrecognised-header" => "Export the file again with its header row (the column names) and drop it again.",
            "unterminated-quote" => "A quoted value is never closed; fix the quoting at the source (or export again) and drop the file again.",
            "undecodable-text" => "Save or export the file as UTF-8 and drop it again.",
            "empty-file" => "The file is empty; export it again and drop it again.",
            "file-too-large" => "Split the export or ask for Ingest:MaxFileBytes to be raised, then drop it again.",
            var code when code.StartsWith("xlsx", StringComparison.Ordinal) || code == "invalid-xlsx" => "Save the workbook again as .xlsx (or export CSV) and drop it again.",
            var code when code.StartsWith("not-", StringComparison.Ordinal) || code.StartsWith("invalid-", StringComparison.Ordinal) || code.StartsWith("truncated-", StringComparison.Ordinal) =>
                "The file is not a complete export in a supported format (CSV, XLSX, SAS XPORT, Dataset-JSON, ODM-XML); export it again and drop it again.",
            _ => "Correct the file at the source and drop it again; the original is archived.",
        };

    /// <summary>
    /// The Functions host gave up on a file (it reached the blob trigger's poison queue) before the ingest step could
    /// count and quarantine it: the file is still in the inbox, neither ingested nor quarantined.
    /// </summary>
    public static EmailContent ComposePoisonedFile(string study, string container, string blobName, string id)
    {
        var subject = $"[{study}] File not ingested: {blobName}";
        return Build(
            id,
            subject,
            "A file could not be ingested",
            "The Functions host stopped retrying this file before the ingest step could read it. It is still in the inbox and has not been ingested or quarantined. The inbox reconciliation timer tries it again; if it fails again, check that the file can be opened and drop it again.",
            [("Container", container), ("File", blobName)],
            "Until it is ingested, the events in this file are not in the safety counts.");
    }

    /// <summary>
    /// The escalation for a recipient role outside the closed roles: that an alert has gone unacknowledged, and whom to
    /// call, with nothing by arm, no counts and no subject id (the alert's own id names the arm, so a reference stands in).
    /// </summary>
    public static EmailContent ComposeBlindedEscalation(string study, string alertId, DateTimeOffset sentAt, TimeSpan unacknowledgedFor)
    {
        var hours = unacknowledgedFor.TotalHours.ToString("0", CultureInfo.InvariantCulture);
        var reference = BlindedReference(alertId);
        (string, string)[] facts =
        [
            ("Study", study),
            ("Reference", reference),
            ("Sent to the closed roles at (UTC)", Utc(sentAt)),
            ("Unacknowledged for", $"{hours} hours"),
        ];
        return Build($"escalation.{reference}", $"[{study}] ESCALATION: a safety alert has not been acknowledged for {hours} h", "Unacknowledged safety alert",
            $"A safety alert in {study} was sent to the unblinded safety physicians and the DSMB and nobody has acknowledged it. Its content is for them only.",
            facts, "Please reach the safety physician on duty or the DSMB chair so that it is reviewed and acknowledged.");
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

    /// <summary>
    /// To the operators, once per run of failures of a timer step: monitoring is not running. Names the step and the error
    /// (type and first line); the step is retried with a back-off meanwhile.
    /// </summary>
    public static EmailContent ComposeStepFailing(string study, string step, string id, DateTimeOffset failingSince, string error) =>
        Build(
            id,
            $"[{study}] OPERATIONS: {step} is failing",
            $"{step} is failing",
            $"The timer step {step} failed; it is tried again at its next run, with a back-off while it keeps failing. While it fails, what it does for the study does not happen (stopping rules are not evaluated, summaries are not published, or mail is not sent). This message is sent once per run of failures; another follows when the step succeeds again.",
            [("Study", study), ("Step", step), ("Failing since (UTC)", Utc(failingSince)), ("Error", error)],
            "Check the host's log for the full error; fix the data or configuration it names.");

    /// <summary>To the operators: a failing timer step succeeded again.</summary>
    public static EmailContent ComposeStepRecovered(string study, string step, string id, DateTimeOffset failingSince, DateTimeOffset recoveredAt, int failures) =>
        Build(
            id,
            $"[{study}] OPERATIONS: {step} is running again",
            $"{step} is running again",
            $"The timer step {step} succeeded after {failures} failed run(s).",
            [("Study", study), ("Step", step), ("Failing since (UTC)", Utc(failingSince)), ("Recovered at (UTC)", Utc(recoveredAt))],
            "Nothing to do.");

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
