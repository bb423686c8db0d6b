using Azure.Data.Tables;
using Camrelizumab.Safety.Core.Ingest;

namespace Camrelizumab.Safety.Storage.Tables;

/// <summary>
/// SDTM supplemental qualifiers of AEs (SUPPAE). PartitionKey = study|subject (as for AEs), RowKey = AE id~QNAM. Kept
/// apart from the AEs so that SUPPAE may arrive before or after its AE file; the snapshot joins them.
/// </summary>
public sealed class QualifierTable(TableClient table)
{
    public Task<int> UpsertAsync(IEnumerable<RowResult.AcceptedQualifier> qualifiers, string fileName, CancellationToken cancellationToken) =>
        TableBatches.UpsertAsync(table, qualifiers.Select(q => new TableEntity(AdverseEventTable.PartitionKeyFor(q.StudyId, q.SubjectId), $"{TableKey.Encode(q.AeId)}~{TableKey.Encode(q.Name)}")
        {
            ["StudyId"] = q.StudyId,
            ["SubjectId"] = q.SubjectId,
            ["AeId"] = q.AeId,
            ["Name"] = q.Name,
            ["Value"] = q.Value,
            ["SourceFile"] = fileName,
        }), cancellationToken);

    /// <summary>The AEs SUPPAE flags as not treatment-emergent (AETRTEM = N).</summary>
    public Task<HashSet<(string StudyId, string SubjectId, string AeId)>> NotTreatmentEmergentAsync(CancellationToken cancellationToken) =>
        NotTreatmentEmergentAsync(TableClient.CreateQueryFilter($"Name eq {"AETRTEM"} and Value eq {"N"}"), cancellationToken);

    /// <summary>The AEs of one subject that SUPPAE flags as not treatment-emergent (one partition).</summary>
    public Task<HashSet<(string StudyId, string SubjectId, string AeId)>> NotTreatmentEmergentAsync(string studyId, string subjectId, CancellationToken cancellationToken) =>
        NotTreatmentEmergentAsync(
            TableClient.CreateQueryFilter($"PartitionKey eq {AdverseEventTable.PartitionKeyFor(studyId, subjectId)} and Name eq {"AETRTEM"} and Value eq {"N"}"), cancellationToken);

    private async Task<HashSet<(string StudyId, string SubjectId, string AeId)>> NotTreatmentEmergentAsync(string filter, CancellationToken cancellationToken)
    {
        var result = new HashSet<(string, string, string)>();
        await foreach (var e in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            result.Add((e.GetString("StudyId"), e.GetString("SubjectId"), e.GetString("AeId")));
        }

        return result;
    }
}
