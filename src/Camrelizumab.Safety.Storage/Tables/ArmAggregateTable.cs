using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Camrelizumab.Safety.Core.Aggregation;

namespace Camrelizumab.Safety.Storage.Tables;

/// <summary>
/// Per-arm counts of each evaluation, kept beside the rule results for audit. PartitionKey = evaluation id (encoded),
/// or <c>latest</c> for the last evaluation; RowKey = arm code (encoded).
/// </summary>
public sealed class ArmAggregateTable(TableClient table)
{
    private const string Latest = "latest";

    /// <summary>Stores every arm's counts under the evaluation's id and as the latest.</summary>
    public Task StoreAsync(SafetyEvaluation evaluation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        var rows = new List<TableEntity>();
        foreach (var partition in new[] { TableKey.Encode(evaluation.EvaluationId), Latest })
        {
            rows.AddRange(evaluation.Summary.Arms.Select(a => ToEntity(partition, evaluation, a)));
        }

        return TableBatches.UpsertAsync(table, rows, cancellationToken);
    }

    /// <summary>An arm's counts at the last evaluation; <c>null</c> before the first or for an arm it did not count.</summary>
    public async Task<StoredArmAggregate?> ReadLatestAsync(string arm, CancellationToken cancellationToken)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(Latest, TableKey.Encode(arm), cancellationToken: cancellationToken);
        if (!response.HasValue)
        {
            return null;
        }

        var row = response.Value!;
        return new StoredArmAggregate(
            TableKey.Decode(row.RowKey),
            row.GetString("EvaluationId"),
            row.GetInt32("Subjects") ?? 0,
            row.GetInt32("SubjectsWithAnyEvent") ?? 0,
            row.GetInt32("SubjectsWithGrade3OrWorse") ?? 0,
            row.GetInt32("SubjectsWithSerious") ?? 0,
            row.GetInt32("SubjectsWithFatal") ?? 0);
    }

    private static TableEntity ToEntity(string partition, SafetyEvaluation evaluation, ArmSafetySummary a) =>
        new(partition, TableKey.Encode(a.Arm))
        {
            ["EvaluationId"] = evaluation.EvaluationId,
            ["AsOf"] = evaluation.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["Subjects"] = a.Subjects,
            ["DosedSubjects"] = a.DosedSubjects,
            ["Events"] = a.Events,
            ["SubjectsWithAnyEvent"] = a.SubjectsWithAnyEvent,
            ["SubjectsWorstGrade1"] = a.SubjectsByWorstGrade[0],
            ["SubjectsWorstGrade2"] = a.SubjectsByWorstGrade[1],
            ["SubjectsWorstGrade3"] = a.SubjectsByWorstGrade[2],
            ["SubjectsWorstGrade4"] = a.SubjectsByWorstGrade[3],
            ["SubjectsWorstGrade5"] = a.SubjectsByWorstGrade[4],
            ["SubjectsWithGrade3OrWorse"] = a.SubjectsWithGrade3OrWorse,
            ["SubjectsWithSerious"] = a.SubjectsWithSerious,
            ["SubjectsWithTreatmentRelated"] = a.SubjectsWithTreatmentRelated,
            ["SubjectsWithTreatmentRelatedGrade3OrWorse"] = a.SubjectsWithTreatmentRelatedGrade3OrWorse,
            ["SubjectsWithCamrelizumabRelated"] = a.SubjectsWithCamrelizumabRelated,
            ["SubjectsWithRadiotherapyRelated"] = a.SubjectsWithRadiotherapyRelated,
            ["SubjectsWithFatal"] = a.SubjectsWithFatal,
            ["TopTerms"] = JsonSerializer.Serialize(a.Terms.Take(50).Select(t => new { term = t.Name, soc = t.Soc, subjects = t.Subjects, byWorstGrade = t.SubjectsByWorstGrade })),
        };
}
