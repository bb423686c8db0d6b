namespace Camrelizumab.Safety.Core.Ingest;

/// <summary>What an AE export did to the stored events of its source.</summary>
/// <param name="Source">The export source (profile name or inbox folder) the file belongs to.</param>
/// <param name="FullExport">The source sends full exports, so AEs missing from this one were deleted at the source.</param>
/// <param name="Inserted">AEs seen for the first time.</param>
/// <param name="Updated">AEs whose content changed (grade, dates, attribution…): a new version, the old one kept in history.</param>
/// <param name="Unchanged">AEs already stored with the same content.</param>
/// <param name="Restored">AEs marked deleted earlier that reappeared.</param>
/// <param name="Deleted">AEs of the source missing from this full export, now marked deleted (kept, not erased).</param>
/// <param name="DeletionsHeld">The export would have deleted more than half of the source's live AEs: nothing was
/// marked, because that looks like a truncated export. The data manager confirms by correcting the file.</param>
/// <param name="DeletedEvents">Subject and AE id of each deleted (or held) AE, up to 1,000.</param>
public sealed record EventChanges(
    string Source,
    bool FullExport,
    int Inserted,
    int Updated,
    int Unchanged,
    int Restored,
    int Deleted,
    bool DeletionsHeld,
    IReadOnlyList<string> DeletedEvents);
