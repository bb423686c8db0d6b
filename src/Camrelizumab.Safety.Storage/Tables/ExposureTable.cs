using System.Globalization;
using Azure.Data.Tables;
using Camrelizumab.Safety.Core.Subjects;

namespace Camrelizumab.Safety.Storage.Tables;

/// <summary>
/// SDTM EX records (exposure). PartitionKey = study|subject (as for AEs); RowKey = the treatment and EXSEQ, or the
/// treatment and start date when the export has no EXSEQ, so the same record in a later export replaces it and a file
/// processed twice changes nothing.
/// </summary>
public sealed class ExposureTable(TableClient table)
{
    public Task<int> UpsertAsync(IEnumerable<ExposureRecord> records, string fileName, CancellationToken cancellationToken) =>
        TableBatches.UpsertAsync(table, records.Select(r => new TableEntity(AdverseEventTable.PartitionKeyFor(r.StudyId, r.SubjectId), RowKeyFor(r))
        {
            ["StudyId"] = r.StudyId,
            ["SubjectId"] = r.SubjectId,
            ["Treatment"] = r.Treatment,
            ["Start"] = Iso(r.Start),
            ["End"] = r.End is { } end ? Iso(end) : null,
            ["Dose"] = r.Dose?.ToString(CultureInfo.InvariantCulture),
            ["Unit"] = r.Unit,
            ["Frequency"] = r.Frequency,
            ["Sequence"] = r.Sequence,
            ["SourceFile"] = fileName,
        }), cancellationToken);

    public async Task<List<ExposureRecord>> ReadAllAsync(CancellationToken cancellationToken) =>
        [.. (await TableBatches.ReadAllAsync(table, null, cancellationToken)).Select(e => new ExposureRecord(e.GetString("StudyId"), e.GetString("SubjectId"), e.GetString("Treatment") ?? "", Date(e.GetString("Start"))!.Value)
        {
            End = Date(e.GetString("End")),
            Dose = e.GetString("Dose") is { } dose ? decimal.Parse(dose, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture) : null,
            Unit = e.GetString("Unit"),
            Frequency = e.GetString("Frequency"),
            Sequence = e.GetString("Sequence"),
        })];

    private static string RowKeyFor(ExposureRecord r) =>
        TableKey.EncodeOrDigest(r.Sequence is { Length: > 0 } sequence ? $"seq~{sequence}" : $"{r.Treatment.ToUpperInvariant()}~{Iso(r.Start)}");

    internal static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    internal static DateOnly? Date(string? text) => text is null ? null : DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>
/// SDTM DS records (disposition). PartitionKey = study|subject; RowKey = scope and category, with the term for anything
/// other than a disposition event (milestones), so a corrected reason in a later export replaces the earlier one.
/// </summary>
public sealed class DispositionTable(TableClient table)
{
    public Task<int> UpsertAsync(IEnumerable<DispositionRecord> records, string fileName, CancellationToken cancellationToken) =>
        TableBatches.UpsertAsync(table, records.Select(r => new TableEntity(AdverseEventTable.PartitionKeyFor(r.StudyId, r.SubjectId), RowKeyFor(r))
        {
            ["StudyId"] = r.StudyId,
            ["SubjectId"] = r.SubjectId,
            ["Term"] = r.Term,
            ["Scope"] = r.Scope.ToString(),
            ["Category"] = r.Category,
            ["Date"] = r.Date is { } date ? ExposureTable.Iso(date) : null,
            ["SourceFile"] = fileName,
        }), cancellationToken);

    public async Task<List<DispositionRecord>> ReadAllAsync(CancellationToken cancellationToken) =>
        [.. (await TableBatches.ReadAllAsync(table, null, cancellationToken)).Select(e => new DispositionRecord(
            e.GetString("StudyId"), e.GetString("SubjectId"), e.GetString("Term"), Enum.Parse<DispositionScope>(e.GetString("Scope")), e.GetString("Category"), ExposureTable.Date(e.GetString("Date"))))];

    private static string RowKeyFor(DispositionRecord r) =>
        TableKey.EncodeOrDigest(r.IsDispositionEvent ? $"{r.Scope}~event" : $"{r.Scope}~{r.Category?.ToUpperInvariant()}~{r.Term}");
}
