using System.Globalization;
using Azure.Data.Tables;

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

    /// <summary>Every rule's result stored under an evaluation id; empty when there is none.</summary>
    public static async Task<List<StoredRuleEvaluation>> ReadAllAsync(TableClient table, string evaluationId, CancellationToken cancellationToken) =>
        [.. (await TableBatches.ReadAllAsync(table, TableKey.Encode(evaluationId), cancellationToken)).Select(Of)];

    private static StoredRuleEvaluation Of(TableEntity row) => new()
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
