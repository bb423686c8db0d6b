namespace Camrelizumab.Safety.Core.Reporting;

/// <summary>What the DSMB should know about the data behind a report: what is not in the counts, and how fresh each source is.</summary>
/// <param name="Counts">One line per kind of gap (rows rejected at ingest, terms needing coding, …); a caller adds lines as it learns more.</param>
/// <param name="LastReceipts">The most recent file processed from each site folder.</param>
public sealed record DataCompleteness(IReadOnlyList<CompletenessCount> Counts, IReadOnlyList<SourceReceipt> LastReceipts);

/// <summary>One kind of gap in the data, with what it means for the counts.</summary>
public sealed record CompletenessCount(string Label, long Count, string Meaning);

/// <summary>The last file processed from one site folder (the folder of <c>ae-inbox</c>; "(top level)" without one).</summary>
public sealed record SourceReceipt(string Site, string LastFile, DateTimeOffset ProcessedAt, int Files, long RowsRejected)
{
    /// <summary>The latest AE onset or end date in the events from that site folder: how far its data reach, which can
    /// lag the last file when a site exports late; <c>null</c> when its files hold no dated AE.</summary>
    public DateOnly? DataThrough { get; init; }

    /// <summary>The site folder of a file in <c>ae-inbox</c>: the path before its last '/', "(top level)" without one.</summary>
    public static string SiteOf(string? fileName) =>
        fileName is { } name && name.LastIndexOf('/') is > 0 and var slash ? name[..slash] : "(top level)";
}
