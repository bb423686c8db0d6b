namespace Camrelizumab.Safety.Storage.Tables;

/// <summary>What one write did to the stored AEs: new, changed (a new version), unchanged, reappeared after deletion, deleted.</summary>
public sealed record VersionCounts(int Inserted, int Updated, int Unchanged, int Restored, int Deleted)
{
    public static VersionCounts operator +(VersionCounts a, VersionCounts b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return new(a.Inserted + b.Inserted, a.Updated + b.Updated, a.Unchanged + b.Unchanged, a.Restored + b.Restored, a.Deleted + b.Deleted);
    }

    public static VersionCounts Add(VersionCounts a, VersionCounts b) => a + b;
}
