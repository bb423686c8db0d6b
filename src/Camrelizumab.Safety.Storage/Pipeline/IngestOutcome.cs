using Camrelizumab.Safety.Core.Ingest;

namespace Camrelizumab.Safety.Storage.Pipeline;

/// <summary>How an ingest call ended without throwing.</summary>
public enum IngestStatus
{
    Processed,
    Duplicate,
    Quarantined,

    /// <summary>Another worker is ingesting the same content now; nothing was done or counted.</summary>
    InProgress,
}

/// <summary>The result of one ingest call; <see cref="Report"/> is null for a duplicate.</summary>
public sealed record IngestOutcome(IngestStatus Status, string BlobName, string Sha256, IngestReport? Report, string? ReportBlob);
