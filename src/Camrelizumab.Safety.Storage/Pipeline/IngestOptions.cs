namespace Camrelizumab.Safety.Storage.Pipeline;

/// <summary>Limits for ingest. Binds to the <c>Ingest</c> configuration section.</summary>
public sealed class IngestOptions
{
    public const string SectionName = "Ingest";

    /// <summary>Attempts before a file is quarantined (the Functions host's blob poison threshold is also 5).</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>A larger file is refused as unreadable; 512 MiB is far beyond any AE export of a 120-subject trial.</summary>
    public long MaxFileBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Accepted events are written in slices of whole partitions of about this many rows, so memory stays bounded.</summary>
    public int WriteChunkRows { get; set; } = 5000;
}
