using Microsoft.Extensions.Logging;

namespace Camrelizumab.Safety.Storage;

/// <summary>Every log message of the pipeline, with stable event ids. Identifiers and counts only, never free text.</summary>
internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Information, "Ingesting {BlobName} (sha256 {Sha256}), attempt {Attempt}")]
    public static partial void IngestStarted(ILogger logger, string blobName, string sha256, int attempt);

    [LoggerMessage(1002, LogLevel.Information, "Ingested {BlobName} as {Kind}: {RowsRead} rows read, {RowsAccepted} accepted, {RowsRejected} rejected")]
    public static partial void IngestCompleted(ILogger logger, string blobName, string kind, long rowsRead, long rowsAccepted, long rowsRejected);

    [LoggerMessage(1003, LogLevel.Information, "{BlobName} has the content of a file already {Status} (sha256 {Sha256}); nothing to do")]
    public static partial void IngestDuplicate(ILogger logger, string blobName, string status, string sha256);

    [LoggerMessage(1004, LogLevel.Warning, "Ingest of {BlobName} failed on attempt {Attempt} of {MaxAttempts}")]
    public static partial void IngestFailed(ILogger logger, Exception exception, string blobName, int attempt, int maxAttempts);

    [LoggerMessage(1005, LogLevel.Error, "{BlobName} quarantined after {Attempts} failed attempts; error report {ReportBlob}")]
    public static partial void IngestQuarantined(ILogger logger, string blobName, int attempts, string reportBlob);

    [LoggerMessage(1006, LogLevel.Warning, "Expedited alert {AlertId} raised at ingest ({Kind})")]
    public static partial void ExpeditedRaised(ILogger logger, string alertId, string kind);

    [LoggerMessage(2001, LogLevel.Information, "Evaluation {EvaluationId}: {Rules} rule(s) evaluated, {Crossed} crossed")]
    public static partial void RulesEvaluated(ILogger logger, string evaluationId, int rules, int crossed);

    [LoggerMessage(2002, LogLevel.Warning, "Rule {RuleId} crossed in arm {Arm}: alert {AlertId}")]
    public static partial void CrossingDetected(ILogger logger, string ruleId, string arm, string alertId);

    [LoggerMessage(2003, LogLevel.Warning, "Rule {RuleId} in arm {Arm} no longer crosses; correction {CorrectionId}")]
    public static partial void CrossingCleared(ILogger logger, string ruleId, string arm, string correctionId);

    [LoggerMessage(2006, LogLevel.Error, "Rule {RuleId} in arm {Arm} cannot stop at its α (infeasible) and judges nothing; its open crossing ({OpenCrossing}) is left as it is")]
    public static partial void RuleInfeasible(ILogger logger, string ruleId, string arm, string openCrossing);

    [LoggerMessage(2004, LogLevel.Warning, "Alert {AlertId} unacknowledged since {SentAt:O}; escalated")]
    public static partial void Escalated(ILogger logger, string alertId, DateTimeOffset sentAt);

    [LoggerMessage(2011, LogLevel.Information, "Alert {AlertId} changed while being escalated (acknowledged, most likely); the next run looks again")]
    public static partial void EscalationSkipped(ILogger logger, string alertId);

    [LoggerMessage(2005, LogLevel.Warning, "Alert {AlertId} is unacknowledged but no escalation address is configured (Mail:Recipients:{Role})")]
    public static partial void NoEscalationAddress(ILogger logger, string alertId, string role);

    [LoggerMessage(1009, LogLevel.Information, "{BlobName} (sha256 {Sha256}) is being ingested by another worker; this delivery does nothing")]
    public static partial void IngestHeldElsewhere(ILogger logger, string blobName, string sha256);

    [LoggerMessage(1010, LogLevel.Warning, "Inbox reconciliation: {Missed} file(s) had not reached an end; {Failed} failed again")]
    public static partial void InboxReconciled(ILogger logger, int missed, int failed);

    [LoggerMessage(1011, LogLevel.Error, "Inbox reconciliation: ingest of {BlobName} failed")]
    public static partial void ReconcileFailed(ILogger logger, Exception exception, string blobName);

    [LoggerMessage(1012, LogLevel.Error, "The Functions host gave up on {Container}/{BlobName} (poison queue); data managers notified as {AlertId}")]
    public static partial void PoisonedBlobReported(ILogger logger, string container, string blobName, string alertId);

    [LoggerMessage(1008, LogLevel.Warning, "Held deletions confirmed for {BlobName}: {Deleted} AE(s) of source {Source} marked deleted")]
    public static partial void DeletionsConfirmed(ILogger logger, string blobName, string source, int deleted);

    [LoggerMessage(3001, LogLevel.Information, "DSMB summary published to {BlobName}")]
    public static partial void SummaryPublished(ILogger logger, string blobName);

    [LoggerMessage(4001, LogLevel.Information, "Sent {Category}/{Id} to {Recipients} recipient(s)")]
    public static partial void Sent(ILogger logger, string category, string id, int recipients);

    [LoggerMessage(6001, LogLevel.Error, "{Step} failed ({Failures} run(s) in a row since {Since:O})")]
    public static partial void StepFailing(ILogger logger, string step, int failures, DateTimeOffset since);

    [LoggerMessage(6002, LogLevel.Information, "{Step} succeeded again after {Failures} failed run(s)")]
    public static partial void StepRecovered(ILogger logger, string step, int failures);

    [LoggerMessage(6003, LogLevel.Error, "{Step} failed and the failure could not be recorded in storage")]
    public static partial void StepFailureNotRecorded(ILogger logger, Exception exception, string step);

    [LoggerMessage(6004, LogLevel.Warning, "{Step} succeeded, but storage did not take the end of its run of failures; the next success tries again")]
    public static partial void StepRecoveryNotRecorded(ILogger logger, Exception exception, string step);

    [LoggerMessage(4003, LogLevel.Error, "Sending {Category}/{Id} failed; it stays pending and is retried in {RetrySeconds} s")]
    public static partial void SendFailed(ILogger logger, Exception exception, string category, string id, double retrySeconds);

    [LoggerMessage(4004, LogLevel.Warning, "{Category}/{Id} was sent, but its lease had expired and another host holds it: that host sends it again with the same Message-ID")]
    public static partial void LeaseLostAfterSend(ILogger logger, string category, string id);

    [LoggerMessage(1020, LogLevel.Warning, "Expedited alert {AlertId} went out before the subject was in a roster; update naming arm {Arm} reserved")]
    public static partial void ExpeditedArmUpdate(ILogger logger, string alertId, string arm);

    [LoggerMessage(2020, LogLevel.Warning, "Rule {RuleId} in arm {Arm} may cross once events awaiting coding are coded; possible-crossing alert {AlertId} reserved")]
    public static partial void PossibleCrossing(ILogger logger, string ruleId, string arm, string alertId);

    [LoggerMessage(2021, LogLevel.Information, "Possible crossing {AlertId} resolved after coding: {Outcome}")]
    public static partial void PossibleCrossingResolved(ILogger logger, string alertId, string outcome);

    [LoggerMessage(5001, LogLevel.Information, "Coding decision for verbatim key {VerbatimKey} version {Version} recorded by {DecidedBy}")]
    public static partial void CodingDecisionRecorded(ILogger logger, string verbatimKey, int version, string decidedBy);

    [LoggerMessage(5002, LogLevel.Information, "Coding decisions file {BlobName}: {Applied} applied, {Refused} refused")]
    public static partial void CodingDecisionsFileApplied(ILogger logger, string blobName, int applied, int refused);
}
