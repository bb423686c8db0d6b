using Azure.Data.Tables;
using Camrelizumab.Safety.Core.Subjects;

namespace Camrelizumab.Safety.Storage.Tables;

/// <summary>The subject roster. PartitionKey = study, RowKey = subject ID (encoded).</summary>
public sealed class SubjectTable(TableClient table)
{
    public TableClient Client => table;

    public Task<int> UpsertAsync(IEnumerable<Subject> subjects, CancellationToken cancellationToken) =>
        TableBatches.UpsertAsync(table, subjects.Select(ToEntity), cancellationToken);

    public async Task<List<Subject>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var entities = await TableBatches.ReadAllAsync(table, null, cancellationToken);
        return [.. entities.Select(e => new Subject(
            e.GetString("StudyId"),
            e.GetString("SubjectId"),
            e.GetString("Arm"),
            ToDate(e.GetString("RandomizationDate")),
            ToDate(e.GetString("FirstDoseDate"))))];
    }

    private static TableEntity ToEntity(Subject s) => new(TableKey.Encode(s.StudyId), TableKey.Encode(s.SubjectId))
    {
        ["StudyId"] = s.StudyId,
        ["SubjectId"] = s.SubjectId,
        ["Arm"] = s.Arm,
        ["RandomizationDate"] = s.RandomizationDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        ["FirstDoseDate"] = s.FirstDoseDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
    };

    private static DateOnly? ToDate(string? text) =>
        text is null ? null : DateOnly.ParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
