using System.Buffers.Binary;
using Camrelizumab.Safety.Core.Ingest;

namespace Camrelizumab.Safety.Storage.Tables;

/// <summary>
/// The per-file index of an export (<see cref="EventIndex"/>) kept in a temporary file, so that the ingest's memory does
/// not grow with the file's rows. On disk it is a hash table of 4 KiB pages, one page a bucket, each holding up to
/// <see cref="PageEntries"/> entries of key (16 bytes) and fingerprint (8 bytes) after an entry count; a key's bucket is
/// the low bits of its hash, and when a bucket would overflow every bucket is split in two on the next bit, so the
/// table doubles in one pass over its pages. In memory: a Bloom filter of fixed size (2 MiB) that answers most lookups
/// of absent keys without reading a page, the last keys added, up to <see cref="MaxPending"/> (written to their pages
/// together, in one pass over the file), and an entry count a page (4 bytes a page; a page holds 170 keys, and as the table
/// doubles when one would overflow, pages are about a third to three-quarters full).
/// </summary>
/// <remarks>
/// Adds come from one thread (the reader's); lookups may come from several at once when adding is over. The keys are
/// seeded hashes (<see cref="ExportReader"/>), so no file can fill one bucket on purpose; keys that share their low
/// bits anyway are refused before the file grows past <see cref="MaxSparseness"/> times the pages they fill. The file
/// is deleted when the index is disposed (left in the temporary folder, as the event spill is, if the process dies).
/// </remarks>
public sealed class FileEventIndex : EventIndex, IDisposable
{
    private const int PageBytes = 4096;
    private const int HeaderBytes = 8;
    private const int EntryBytes = 24;

    /// <summary>Entries a page (bucket) holds.</summary>
    internal const int PageEntries = (PageBytes - HeaderBytes) / EntryBytes;

    /// <summary>Keys held in memory before they are written to their pages (unless the constructor is given fewer).</summary>
    internal const int MaxPending = 65_536;

    /// <summary>Pages read and written at once when the pending keys are written.</summary>
    private const int ChunkPages = 256;

    /// <summary>
    /// How sparse the table may grow: a split that would leave more than this many times the pages its keys fill is
    /// refused. Spread keys fill a bucket when the table is about two-thirds full on average; keys sharing their low
    /// bits would otherwise split it, doubling the file each time, until the disk is full.
    /// </summary>
    private const int MaxSparseness = 64;

    /// <summary>The Bloom filter's bits (2 MiB), three probes a key: at 1,000,000 keys about one absent key in 200 reads a page.</summary>
    private const int BloomBitsLog2 = 24;

    private readonly FileStream _file;
    private readonly ulong[] _bloom = new ulong[(1 << BloomBitsLog2) / 64];
    private readonly Dictionary<UInt128, long> _pending;
    private readonly int _maxPending;
    private readonly byte[] _chunk = new byte[ChunkPages * PageBytes];
    private readonly byte[] _moved = new byte[PageBytes];
    private int[] _counts;
    private int _bucketBits;

    /// <param name="bucketBits">The table starts with 2^bucketBits buckets (pages).</param>
    /// <param name="maxPending">Keys held in memory before they are written to their pages (tests write them sooner).</param>
    public FileEventIndex(int bucketBits = 4, int maxPending = MaxPending)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bucketBits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bucketBits, 20);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPending, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxPending, MaxPending);
        _maxPending = maxPending;
        _pending = new Dictionary<UInt128, long>(maxPending);
        _bucketBits = bucketBits;
        _counts = new int[1 << bucketBits];
        _file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, bufferSize: 0, FileOptions.DeleteOnClose);
        _file.SetLength(Buckets * PageBytes);
    }

    /// <summary>Keys added.</summary>
    public long Count { get; private set; }

    /// <summary>The temporary file (for tests: it is gone once the index is disposed).</summary>
    internal string FilePath => _file.Name;

    /// <summary>Pages (buckets) the table has: 2^bits.</summary>
    public long Buckets => 1L << _bucketBits;

    public override long? AddOrGet(UInt128 key, long fingerprint)
    {
        ObjectDisposedException.ThrowIf(!_file.CanRead, this);
        var bits = BloomBits(key);
        if (Find(key, bits) is { } held)
        {
            return held;
        }

        _pending.Add(key, fingerprint);
        var (first, second, third) = bits;
        SetBit(first);
        SetBit(second);
        SetBit(third);

        Count++;
        if (_pending.Count >= _maxPending)
        {
            try
            {
                WritePending();
            }
            catch
            {
                // Pages may hold part of the pending keys and the counts say otherwise: nothing may be asked of it again.
                _file.Dispose();
                throw;
            }
        }

        return null;
    }

    public override bool Contains(UInt128 key)
    {
        ObjectDisposedException.ThrowIf(!_file.CanRead, this);
        return Find(key, BloomBits(key)) is not null;
    }

    public void Dispose() => _file.Dispose();

    /// <summary>The fingerprint held for <paramref name="key"/>: the Bloom filter first, then the pending keys, then its page.</summary>
    private long? Find(UInt128 key, (ulong First, ulong Second, ulong Third) bits)
    {
        var (first, second, third) = bits;
        if (!IsSet(first) || !IsSet(second) || !IsSet(third))
        {
            return null;
        }

        if (_pending.TryGetValue(key, out var pending))
        {
            return pending;
        }

        var bucket = Bucket(key, _bucketBits);
        if (_counts[bucket] == 0)
        {
            return null;
        }

        Span<byte> page = stackalloc byte[PageBytes];
        Read(page, bucket * PageBytes);
        var count = EntryCount(page);
        for (var i = 0; i < count; i++)
        {
            if (KeyAt(page, i) == key)
            {
                return FingerprintAt(page, i);
            }
        }

        return null;
    }

    /// <summary>
    /// Writes the pending keys to their pages, in bucket order, a chunk of pages at a time (only chunks that receive
    /// keys are read and written); first splits the table until every bucket has room for its share.
    /// </summary>
    private void WritePending()
    {
        (long Bucket, UInt128 Key, long Fingerprint)[] entries;
        while (true)
        {
            entries = [.. _pending.Select(p => (Bucket(p.Key, _bucketBits), p.Key, p.Value)).OrderBy(e => e.Item1)];
            var full = false;
            for (var i = 0; i < entries.Length && !full;)
            {
                var j = i;
                while (j < entries.Length && entries[j].Bucket == entries[i].Bucket)
                {
                    j++;
                }

                full = _counts[entries[i].Bucket] + (j - i) > PageEntries;
                i = j;
            }

            if (!full)
            {
                break;
            }

            Split();
        }

        for (var next = 0; next < entries.Length;)
        {
            var first = entries[next].Bucket / ChunkPages * ChunkPages;
            var pages = (int)Math.Min(ChunkPages, Buckets - first);
            var chunk = _chunk.AsSpan(0, pages * PageBytes);
            Read(chunk, first * PageBytes);
            for (; next < entries.Length && entries[next].Bucket < first + pages; next++)
            {
                var (bucket, key, fingerprint) = entries[next];
                var page = chunk.Slice((int)(bucket - first) * PageBytes, PageBytes);
                var count = EntryCount(page);
                BinaryPrimitives.WriteUInt128LittleEndian(page[(HeaderBytes + (count * EntryBytes))..], key);
                BinaryPrimitives.WriteInt64LittleEndian(page[(HeaderBytes + (count * EntryBytes) + 16)..], fingerprint);
                BinaryPrimitives.WriteInt32LittleEndian(page, count + 1);
                _counts[bucket] = count + 1;
            }

            RandomAccess.Write(_file.SafeFileHandle, chunk, first * PageBytes);
        }

        _pending.Clear();
    }

    /// <summary>Doubles the buckets: bucket b keeps the entries whose next key bit is 0, bucket b + 2^bits takes the others.</summary>
    private void Split()
    {
        var buckets = Buckets;
        if (buckets * 2 > MaxSparseness * (1 + (Count / PageEntries)))
        {
            throw new InvalidOperationException($"The event index holds {Count:N0} keys in {buckets:N0} pages and one is full: its keys are not spread, and splitting again would not part them.");
        }

        var counts = new int[buckets * 2];
        var page = _chunk.AsSpan(0, PageBytes);
        for (var bucket = 0L; bucket < buckets; bucket++)
        {
            Read(page, bucket * PageBytes);
            var count = EntryCount(page);
            var kept = 0;
            var moved = 0;
            for (var i = 0; i < count; i++)
            {
                var entry = page.Slice(HeaderBytes + (i * EntryBytes), EntryBytes);
                if (((LowBits(KeyAt(page, i)) >> _bucketBits) & 1) == 0)
                {
                    entry.CopyTo(page[(HeaderBytes + (kept++ * EntryBytes))..]);
                }
                else
                {
                    entry.CopyTo(_moved.AsSpan(HeaderBytes + (moved++ * EntryBytes)));
                }
            }

            BinaryPrimitives.WriteInt32LittleEndian(page, kept);
            BinaryPrimitives.WriteInt32LittleEndian(_moved, moved);
            RandomAccess.Write(_file.SafeFileHandle, page, bucket * PageBytes);
            RandomAccess.Write(_file.SafeFileHandle, _moved, (bucket + buckets) * PageBytes);
            (counts[bucket], counts[bucket + buckets]) = (kept, moved);
        }

        _counts = counts;
        _bucketBits++;
    }

    /// <summary>Three probes from the key's high half and its upper low bits (the bucket takes the lowest).</summary>
    private static (ulong, ulong, ulong) BloomBits(UInt128 key)
    {
        const ulong mask = (1UL << BloomBitsLog2) - 1;
        var high = unchecked((ulong)(key >> 64));
        return (high & mask, (high >> 32) & mask, (LowBits(key) >> 40) & mask);
    }

    private void SetBit(ulong bit) => _bloom[bit >> 6] |= 1UL << (int)(bit & 63);

    private bool IsSet(ulong bit) => (_bloom[bit >> 6] & (1UL << (int)(bit & 63))) != 0;

    private static long Bucket(UInt128 key, int bits) => (long)(LowBits(key) & ((1UL << bits) - 1));

    /// <summary>The key's low 64 bits (the cast alone would throw in this project's checked arithmetic).</summary>
    private static ulong LowBits(UInt128 key) => unchecked((ulong)key);

    private void Read(Span<byte> buffer, long offset)
    {
        for (var read = 0; read < buffer.Length;)
        {
            var n = RandomAccess.Read(_file.SafeFileHandle, buffer[read..], offset + read);
            if (n == 0)
            {
                throw new InvalidDataException($"The event index ends early, at byte {offset + read:N0}.");
            }

            read += n;
        }
    }

    private static int EntryCount(ReadOnlySpan<byte> page) => BinaryPrimitives.ReadInt32LittleEndian(page);

    private static UInt128 KeyAt(ReadOnlySpan<byte> page, int i) => BinaryPrimitives.ReadUInt128LittleEndian(page[(HeaderBytes + (i * EntryBytes))..]);

    private static long FingerprintAt(ReadOnlySpan<byte> page, int i) => BinaryPrimitives.ReadInt64LittleEndian(page[(HeaderBytes + (i * EntryBytes) + 16)..]);
}
