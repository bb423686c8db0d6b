namespace Camrelizumab.Safety.Core.Ingest;

/// <summary>
/// The safety policy for full exports: the AEs of a source that a full export lacks are marked deleted, unless the
/// export looks truncated, in which case nothing is deleted until a data manager confirms it. An AE is never lost to an
/// export cut short in transit or filtered by mistake; a few genuine deletions never wait for anyone.
/// </summary>
public static class DeletionHold
{
    /// <summary>Deletions of up to this many AEs are applied whatever the share.</summary>
    public const int AlwaysApplyUpTo = 10;

    /// <summary>
    /// Whether the deletions are held: more than <see cref="AlwaysApplyUpTo"/> AEs missing, and the missing ones more
    /// than half of the source's live (not deleted) AEs.
    /// </summary>
    /// <param name="missing">Live AEs of the source that the export lacks.</param>
    /// <param name="live">Live AEs of the source before the export.</param>
    public static bool Holds(int missing, int live)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(missing);
        ArgumentOutOfRangeException.ThrowIfLessThan(live, missing);
        return missing > AlwaysApplyUpTo && missing * 2 > live;
    }
}
