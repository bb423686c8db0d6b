using Azure.Data.Tables;

namespace Camrelizumab.Safety.Storage.Tables;

/// <summary>A file as the ingest ledger records it: its name, how its ingest ended, and where the raw file is archived.</summary>
/// <param name="Status"><c>null</c> for a status this version does not know.</param>
/// <param name="UpdatedAt">When the ledger row was last written (the table's own timestamp).</param>
public sealed record LedgerFile(string Sha256, string? FileName, FileStatus? Status, long RowsRejected, DateTimeOffset? CompletedAt, string? ArchiveBlob, DateTimeOffset? UpdatedAt)
{
    internal static LedgerFile Of(TableEntity row) => new(
        row.RowKey,
        row.GetString("FileName"),
        Enum.TryParse<FileStatus>(row.GetString("Status"), out var status) ? status : null,
        row.GetInt64("RowsRejected") ?? 0,
        row.GetDateTimeOffset("CompletedAt"),
        row.GetString("ArchiveBlob"),
        row.Timestamp);
}
