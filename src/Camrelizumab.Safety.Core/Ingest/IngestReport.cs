namespace Camrelizumab.Safety.Core.Ingest;

/// <summary>What the data manager reads about one dropped file.</summary>
/// <param name="Status"><c>processed</c> or <c>quarantined</c>.</param>
/// <param name="RowsAccepted">Rows stored: events (with their queries), subjects, qualifiers, exposures. Rows read = rows
/// stored + rows refused.</param>
/// <param name="RowsRejected">Rows refused: they identify no subject and event, belong to another study, or repeat an
/// earlier row exactly.</param>
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

    /// <summary>Open queries on the events this file stored (up to <see cref="MaxListedRejections"/>), sorted by line.
    /// Each event is stored and counted conservatively while its query is open.</summary>
    public IReadOnlyList<RowQuery> Queries { get; init; } = [];

    /// <summary>Open queries by code, all of them.</summary>
    public IReadOnlyDictionary<string, int> QueriesByKind { get; init; } = new Dictionary<string, int>();

    /// <summary>Events stored with at least one open query.</summary>
    public long EventsWithQueries { get; init; }

    /// <summary>Serious events stored awaiting coding: the coder's first job.</summary>
    public long SeriousAwaitingCoding { get; init; }
}
