using Azure.Data.Tables;
using Camrelizumab.Safety.Core.Ingest;

namespace Camrelizumab.Safety.Storage.Tables;

/// <summary>
/// SDTM supplemental qualifiers of AEs (SUPPAE). PartitionKey = study|subject (as for AEs), RowKey = AE id~QNAM. Kept
/// apart from the AEs so that SUPPAE may arrive before or after its AE file; the snapshot joins them.
/// </summary>
public sealed class QualifierTable(TableClient table)
{
    public TableClient Client => table;

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
    public async Task<HashSet<(string StudyId, string SubjectId, string AeId)>> NotTreatmentEmergentAsync(CancellationToken cancellationToken)
    {
        var result = new HashSet<(string, string, string)>();
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"Name eq {"AETRTEM"} and Value eq {"N"}"), cancellationToken: cancellationToken))
        {
            result.Add((e.GetString("StudyId"), e.GetString("SubjectId"), e.GetString("AeId")));
        }

        return result;
    }
}
