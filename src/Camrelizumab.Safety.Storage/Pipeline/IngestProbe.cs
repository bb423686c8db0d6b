namespace Camrelizumab.Safety.Storage.Pipeline;

/// <summary>
/// The points of an ingest after which a crash leaves different state behind. The pipeline passes through them; the
/// crash-injection tests stop an ingest at one exactly as a killed process would (nothing after it runs, no handler
/// records anything) and check that a restarted host completes the file with every alert raised once.
/// </summary>
public class IngestProbe
{
    /// <summary>The probe of every host: does nothing.</summary>
    public static readonly IngestProbe None = new();

    /// <summary>Called when the ingest has completed <paramref name="stage"/>.</summary>
    public virtual ValueTask ReachedAsync(IngestStage stage, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}

/// <summary>Stages of an ingest, in order (<see cref="ChunkWritten"/> and <see cref="MessageReserved"/> repeat).</summary>
public enum IngestStage
{
    /// <summary>The file's content is claimed in the file ledger.</summary>
    Claimed,

    /// <summary>The raw bytes are in the archive.</summary>
    Archived,

    /// <summary>One slice of events (whole partitions, <see cref="IngestOptions.WriteChunkRows"/> rows or so) is written.</summary>
    ChunkWritten,

    /// <summary>Every row is written and read back.</summary>
    RowsWritten,

    /// <summary>A full export's missing AEs are marked deleted, and the facts of every subject the file touched are refolded.</summary>
    FactsRefreshed,

    /// <summary>The ingest report is written.</summary>
    ReportWritten,

    /// <summary>One message (expedited alert, follow-up, arm update, data-manager email) is reserved in the outbox.</summary>
    MessageReserved,

    /// <summary>The file ledger says Processed.</summary>
    MarkedProcessed,
}
