using System.Globalization;
using Azure.Data.Tables;
using Camrelizumab.Safety.Core.Aggregation;
using Camrelizumab.Safety.Core.Alerts;

namespace Camrelizumab.Safety.Storage.Tables;

/// <summary>
/// Each rule's stored result (<see cref="StoredRuleEvaluation"/>). PartitionKey = evaluation id (encoded), or
/// <c>latest</c> for the last evaluation, or <c>summary</c> for the result at the last DSMB summary; RowKey = rule id.
/// </summary>
public sealed class RuleEvaluationTable(TableClient table)
{
    /// <summary>The partition holding each rule's result at the last evaluation.</summary>
    private const string Latest = "latest";

    /// <summary>The partition holding each rule's result at the last DSMB summary (what later alerts compare with).</summary>
    private const string Summary = "summary";

    /// <summary>Stores every rule's result under the evaluation's id and as the latest.</summary>
    public Task StoreAsync(SafetyEvaluation evaluation, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        var rows = new List<TableEntity>();
        foreach (var partition in new[] { TableKey.Encode(evaluation.EvaluationId), Latest })
        {
            rows.AddRange(evaluation.Evaluations.Select(e => StoredRuleEvaluation.EntityFor(partition, evaluation, e, now)));
        }

        return TableBatches.UpsertAsync(table, rows, cancellationToken);
    }

    /// <summary>Every rule's result stored under an evaluation id; empty when there is none.</summary>
    public async Task<List<StoredRuleEvaluation>> ReadAllAsync(string evaluationId, CancellationToken cancellationToken) =>
        [.. (await TableBatches.ReadAllAsync(table, TableKey.Encode(evaluationId), cancellationToken)).Select(StoredRuleEvaluation.Of)];

    /// <summary>Each rule's result at a DSMB summary, replacing the previous summary's.</summary>
    public Task WriteSummaryAsync(SafetyEvaluation evaluation, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        return TableBatches.UpsertAsync(table, evaluation.Evaluations.Select(e => StoredRuleEvaluation.EntityFor(Summary, evaluation, e, now)), cancellationToken);
    }

    /// <summary>Each rule's result at the last DSMB summary, for "what changed since" in alerts; empty before the first.</summary>
    public async Task<Dictionary<string, RuleEvaluationSnapshot>> ReadLastSummaryAsync(CancellationToken cancellationToken) =>
        (await TableBatches.ReadAllAsync(table, Summary, cancellationToken)).ToDictionary(r => r.GetString("RuleId"), r => new RuleEvaluationSnapshot(
            r.GetString("RuleId"),
            DateOnly.ParseExact(r.GetString("AsOf"), "yyyy-MM-dd", CultureInfo.InvariantCulture),
            r.GetString("Status"),
            r.GetInt32("Events") ?? 0,
            r.GetInt32("Evaluable") ?? 0), StringComparer.Ordinal);
}
