namespace Camrelizumab.Safety.Core.Ingest;

/// <summary>What the data manager reads about one dropped file. Rows read = rows stored + rows refused (<see cref="IngestTally"/>).</summary>
public sealed record IngestReport
{
    public required string FileName { get; init; }

    public required string Sha256 { get; init; }

    public required IngestReportStatus Status { get; init; }

    /// <summary>What the file holds; <c>null</c> for a quarantined file.</summary>
    public ExportKind? Kind { get; init; }

    public long RowsRead { get; init; }

    /// <summary>Rows stored: events (with their queries), subjects, qualifiers, exposures.</summary>
    public long RowsAccepted { get; init; }

    /// <summary>Rows refused: they identify no subject and event, belong to another study, or repeat an earlier row exactly.</summary>
    public long RowsRejected { get; init; }

    /// <summary>The rejected rows, up to <see cref="MaxListedRejections"/>; the CSV beside the report lists them all.</summary>
    public IReadOnlyList<RowRejection> Rejections { get; init; } = [];

    public IReadOnlyDictionary<string, int> RejectionsByReason { get; init; } = new Dictionary<string, int>();

    public string? Encoding { get; init; }

    public IReadOnlyDictionary<string, int> CodingByMethod { get; init; } = new Dictionary<string, int>();

    public IReadOnlyList<CodingReview> CodedForReview { get; init; } = [];

    public IReadOnlyList<LabGradeQuery> LabGradeQueries { get; init; } = [];

    public EventChanges? Changes { get; init; }

    /// <summary>For a quarantined file: why it could not be read, and on which line.</summary>
    public string? FileError { get; init; }

    public IReadOnlyList<string> AttemptErrors { get; init; } = [];

    public required string ArchiveBlob { get; init; }

    public string? RejectionsCsvBlob { get; init; }

    public required DateTimeOffset ProcessedAt { get; init; }

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
