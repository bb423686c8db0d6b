using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Camrelizumab.Safety.Core.Aggregation;
using Camrelizumab.Safety.Core.Stopping;

namespace Camrelizumab.Safety.Storage.Tables;

/// <summary>
/// One rule's stored result in the RuleEvaluations table (PartitionKey = evaluation id, RowKey = rule id), with the
/// inputs that reproduce it: the data snapshot, the rules file and the dictionary by hash, and the as-of date.
/// </summary>
public sealed record StoredRuleEvaluation
{
    public required string RuleId { get; init; }

    public required string Status { get; init; }

    public int? Events { get; init; }

    public int? Evaluable { get; init; }

    public int? Pending { get; init; }

    public int? Enrolled { get; init; }

    public int? CrossingLook { get; init; }

    public int? BoundaryAtEnrolled { get; init; }

    /// <summary>The boundaries as a JSON array.</summary>
    public string? Boundaries { get; init; }

    /// <summary>Subject ids separated by semicolons.</summary>
    public string? SubjectsWithEvent { get; init; }

    public required string DataSnapshotSha256 { get; init; }

    public required string RulesSha256 { get; init; }

    public required DateOnly AsOf { get; init; }

    public required string CodeVersion { get; init; }

    public string? DictionarySha256 { get; init; }

    /// <summary>One rule's result as a row of <paramref name="partition"/> (an evaluation id, <c>latest</c> or <c>summary</c>).</summary>
    internal static TableEntity EntityFor(string partition, SafetyEvaluation evaluation, RuleEvaluation e, DateTimeOffset now) =>
        new(partition, TableKey.Encode(e.Rule.Id))
        {
            ["EvaluationId"] = evaluation.EvaluationId,
            ["EvaluatedAt"] = now,
            ["AsOf"] = evaluation.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["DataSnapshotSha256"] = evaluation.DataSnapshotSha256,
            ["RulesVersion"] = evaluation.RulesVersion,
            ["RulesSha256"] = evaluation.RulesSha256,
            ["DictionaryVersion"] = evaluation.DictionaryVersion,
            ["DictionarySha256"] = evaluation.DictionarySha256,
            ["CodeVersion"] = evaluation.CodeVersion,
            ["CodingDecisionsSha256"] = evaluation.CodingDecisionsSha256,
            ["EventsAwaitingCoding"] = evaluation.DataQueries.EventsAwaitingCoding,
            ["EventsIfUncodedQualified"] = evaluation.IfUncodedQualified.TryGetValue(e.Rule.Id, out var widened) ? widened.Events : null,
            ["RuleId"] = e.Rule.Id,
            ["Arm"] = e.Rule.Arm,
            ["Method"] = e.Rule.Method.Name(),
            ["P0"] = e.Rule.P0.ToString(CultureInfo.InvariantCulture),
            ["Alpha"] = e.Rule.Alpha.ToString(CultureInfo.InvariantCulture),
            ["MaxPatients"] = e.Rule.MaxPatients,
            ["Boundaries"] = JsonSerializer.Serialize(e.Boundary.Boundaries),
            ["AchievedAlpha"] = e.Boundary.AchievedAlpha,
            ["Status"] = e.Status.ToString(),
            ["Events"] = e.Events,
            ["Evaluable"] = e.Evaluable,
            ["Pending"] = e.Pending,
            ["Enrolled"] = e.Enrolled,
            ["BoundaryAtEnrolled"] = e.BoundaryAtEnrolled,
            ["CrossingLook"] = e.Crossing?.Look,
            ["CrossingEvents"] = e.Crossing?.Events,
            ["CrossingBoundary"] = e.Crossing?.Boundary,
            ["EventsToCross"] = e.Distance?.EventsNeeded,
            ["EventsToCrossLook"] = e.Distance?.Look,
            ["SubjectsWithEvent"] = string.Join(';', e.SubjectsWithEvent),
        };

    internal static StoredRuleEvaluation Of(TableEntity row) => new()
    {
        RuleId = row.GetString("RuleId"),
        Status = row.GetString("Status"),
        Events = row.GetInt32("Events"),
        Evaluable = row.GetInt32("Evaluable"),
        Pending = row.GetInt32("Pending"),
        Enrolled = row.GetInt32("Enrolled"),
        CrossingLook = row.GetInt32("CrossingLook"),
        BoundaryAtEnrolled = row.GetInt32("BoundaryAtEnrolled"),
        Boundaries = row.GetString("Boundaries"),
        SubjectsWithEvent = row.GetString("SubjectsWithEvent"),
        DataSnapshotSha256 = row.GetString("DataSnapshotSha256"),
        RulesSha256 = row.GetString("RulesSha256"),
        AsOf = DateOnly.ParseExact(row.GetString("AsOf"), "yyyy-MM-dd", CultureInfo.InvariantCulture),
        CodeVersion = row.GetString("CodeVersion"),
        DictionarySha256 = row.GetString("DictionarySha256"),
    };
}
