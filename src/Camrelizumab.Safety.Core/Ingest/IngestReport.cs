namespace Camrelizumab.Safety.Core.Ingest;

/// <summary>What the data manager reads about one dropped file.</summary>
/// <param name="Status"><c>processed</c> or <c>quarantined</c>.</param>
/// <param name="Rejections">The rejected rows, up to <see cref="MaxListedRejections"/>; the CSV beside the report lists them all.</param>
/// <param name="FileError">For a quarantined file: why it could not be read, and on which line.</param>
public sealed record IngestReport(
    string FileName,
    string Sha256,
    string Status,
    string? Kind,
    long RowsRead,
    long RowsAccepted,
    long RowsRejected,
    IReadOnlyList<RowRejection> Rejections,
    IReadOnlyDictionary<string, int> RejectionsByReason,
    string? Encoding,
    IReadOnlyDictionary<string, int> CodingByMethod,
    IReadOnlyList<CodingReview> CodedForReview,
    IReadOnlyList<LabGradeQuery> LabGradeQueries,
    EventChanges? Changes,
    string? FileError,
    IReadOnlyList<string> AttemptErrors,
    string ArchiveBlob,
    string? RejectionsCsvBlob,
    DateTimeOffset ProcessedAt)
{
    public const int MaxListedRejections = 1000;
}
