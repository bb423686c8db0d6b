namespace Camrelizumab.Safety.Storage.Pipeline;

/// <summary>
/// Names the blobs written beside a dropped file (ingest report, rejections CSV, quarantine error) so they stay within
/// Azure's 1,024-character limit on blob names, whatever the dropped file's name. Azurite does not enforce the limit,
/// so nothing local would show the failure before production.
/// </summary>
internal static class ReportBlobName
{
    /// <summary>Azure Blob Storage's longest blob name, in characters.</summary>
    public const int MaxLength = 1024;

    /// <summary>Marks where the middle of an over-long name was cut.</summary>
    private const string Cut = "~";

    /// <summary>
    /// <paramref name="name"/> + <paramref name="suffix"/>, or, when that (plus <paramref name="reserve"/> characters a
    /// caller will add later) is too long, the name's start and end around <c>~</c>: the folder and the extension stay
    /// readable, and the suffix (which carries the content's SHA-256 prefix) is kept whole.
    /// </summary>
    public static string Fit(string name, string suffix, int reserve = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(suffix);
        var room = MaxLength - reserve - suffix.Length;
        if (name.Length <= room)
        {
            return name + suffix;
        }

        var keep = room - Cut.Length;
        var tail = Math.Min(keep / 3, 200);
        var head = keep - tail;

        // Never cut a surrogate pair in two: half a character is not valid text in a URL.
        if (char.IsHighSurrogate(name[head - 1]))
        {
            head--;
        }

        if (char.IsLowSurrogate(name[^tail]))
        {
            tail--;
        }

        return string.Concat(name.AsSpan(0, head), Cut, name.AsSpan(name.Length - tail), suffix);
    }
}
