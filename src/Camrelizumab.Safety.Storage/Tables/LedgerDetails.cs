namespace Camrelizumab.Safety.Storage.Tables;

/// <summary>
/// The identifiers an alert ledger entry keeps beside its message, one factory per kind of message, so that the
/// ledger's column names live here and not in the steps (the expedited alert's are in <see cref="ExpeditedLedger"/>).
/// Identifiers and counts only, never free text.
/// </summary>
internal static class LedgerDetails
{
    /// <summary>A crossing alert, and the correction of one.</summary>
    public static Dictionary<string, object?> Crossing(string ruleId, string arm, string evaluationId, int events, int evaluable) => new()
    {
        ["RuleId"] = ruleId,
        ["Arm"] = arm,
        ["EvaluationId"] = evaluationId,
        ["Events"] = events,
        ["Evaluable"] = evaluable,
    };

    /// <summary>The blinded twin of a crossing alert: the rule only, nothing by arm.</summary>
    public static Dictionary<string, object?> BlindedCrossing(string ruleId) => new() { ["RuleId"] = ruleId };

    public static Dictionary<string, object?> PossibleCrossing(string ruleId, string arm, string evaluationId, int events) => new()
    {
        ["RuleId"] = ruleId,
        ["Arm"] = arm,
        ["EvaluationId"] = evaluationId,
        ["Events"] = events,
    };

    /// <summary>The notice that a possible crossing was cleared, naming the alert it clears.</summary>
    public static Dictionary<string, object?> PossibleCleared(string ruleId, string arm, string clears) => new()
    {
        ["RuleId"] = ruleId,
        ["Arm"] = arm,
        ["Clears"] = clears,
    };

    /// <summary>An escalation, naming the category (as stored) of the alert it escalates.</summary>
    public static Dictionary<string, object?> Escalation(string escalatedFrom) => new() { ["EscalatedFrom"] = escalatedFrom };

    public static Dictionary<string, object?> ExpeditedArmUpdate(string updatesAlert, string subjectId, string arm) => new()
    {
        ["UpdatesAlert"] = updatesAlert,
        ["SubjectId"] = subjectId,
        ["Arm"] = arm,
    };

    /// <summary>A timer step failing or recovered.</summary>
    public static Dictionary<string, object?> Operations(string step) => new() { ["Step"] = step };

    /// <summary>A DSMB summary, with the report to attach as <c>container/name</c>.</summary>
    public static Dictionary<string, object?> Summary(string attachmentBlob, string evaluationId) => new()
    {
        ["AttachmentBlob"] = attachmentBlob,
        ["EvaluationId"] = evaluationId,
    };

    /// <summary>A file the Functions host poisoned.</summary>
    /// <summary>The data managers' email about one file's ingest (refusals, queries, deletions, quarantine).</summary>
    public static Dictionary<string, object?> Ingest(string fileName, long rowsRejected) => new()
    {
        ["FileName"] = fileName,
        ["RowsRejected"] = rowsRejected,
    };

    public static Dictionary<string, object?> Poison(string container, string fileName) => new()
    {
        ["Container"] = container,
        ["FileName"] = fileName,
    };
}
