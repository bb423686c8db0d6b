namespace Camrelizumab.Safety.Core.Ingest;

/// <summary>
/// The per-file index <see cref="ExportReader"/> keeps: for each (subject, AE id) the file holds, the 128-bit hash of
/// the pair and the 64-bit fingerprint of its first row. Adding happens while the file is read, one row at a time;
/// looking up may then happen from several threads at once (a full export's write asks which stored AEs it holds).
/// </summary>
/// <remarks>
/// <see cref="InMemory"/> holds it on the heap, some 50 bytes a row; the ingest passes one kept in a temporary file
/// (<c>FileEventIndex</c> in Storage), so its memory does not grow with the file's rows.
/// </remarks>
public abstract class EventIndex
{
    /// <summary>Adds <paramref name="key"/> with <paramref name="fingerprint"/> when absent and returns null; when present,
    /// changes nothing and returns the fingerprint it holds.</summary>
    public abstract long? AddOrGet(UInt128 key, long fingerprint);

    /// <summary>Whether <paramref name="key"/> was added. Safe to call from several threads once adding is over.</summary>
    public abstract bool Contains(UInt128 key);

    /// <summary>An index on the heap.</summary>
    public static EventIndex InMemory() => new Memory();

    private sealed class Memory : EventIndex
    {
        private readonly Dictionary<UInt128, long> _keys = [];

        public override long? AddOrGet(UInt128 key, long fingerprint) =>
            _keys.TryAdd(key, fingerprint) ? null : _keys[key];

        public override bool Contains(UInt128 key) => _keys.ContainsKey(key);
    }
}
