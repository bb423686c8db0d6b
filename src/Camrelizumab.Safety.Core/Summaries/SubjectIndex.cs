namespace Camrelizumab.Safety.Core.Summaries;

/// <summary>
/// Subject ids to their index (0 to n − 1, in the order given), looked up by a cell's characters without making a
/// string of them.
/// </summary>
/// <remarks>
/// Open addressing over one array of slots, each a hash and the offset of an entry in one character pool that holds
/// the subject's index, the id's length and the id: a look-up reads two places in memory, where a dictionary reads
/// three (bucket, entry, key string). Once 50,000 subjects no longer fit in the processor's cache, those reads are most
/// of what an event row costs.
/// </remarks>
internal sealed class SubjectIndex
{
    private const int EntryHeader = 4;
    private readonly ulong[] _slots;
    private readonly char[] _pool;
    private readonly int _mask;

    /// <param name="ids">Distinct subject ids.</param>
    public SubjectIndex(IReadOnlyList<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var capacity = 16;
        while (capacity < ids.Count * 2)
        {
            capacity <<= 1;
        }

        _slots = new ulong[capacity];
        _mask = capacity - 1;
        _pool = new char[ids.Sum(id => (long)id.Length + EntryHeader) is var size and <= int.MaxValue ? (int)size : throw new ArgumentException("Too many subject id characters.", nameof(ids))];
        var offset = 0;
        for (var index = 0; index < ids.Count; index++)
        {
            var id = ids[index];
            if (TryFind(id, out _))
            {
                throw new ArgumentException($"Subject id '{id}' is given twice.", nameof(ids));
            }

            _pool[offset] = unchecked((char)index);
            _pool[offset + 1] = (char)(index >> 16);
            _pool[offset + 2] = unchecked((char)id.Length);
            _pool[offset + 3] = (char)(id.Length >> 16);
            id.CopyTo(_pool.AsSpan(offset + EntryHeader));
            var hash = unchecked((uint)string.GetHashCode(id));
            var slot = unchecked((int)hash) & _mask;
            while (_slots[slot] != 0)
            {
                slot = (slot + 1) & _mask;
            }

            _slots[slot] = ((ulong)hash << 32) | (uint)(offset + 1);
            offset += id.Length + EntryHeader;
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public bool TryFind(ReadOnlySpan<char> id, out int index)
    {
        var hash = unchecked((uint)string.GetHashCode(id));
        var slot = unchecked((int)hash) & _mask;
        while (true)
        {
            var entry = _slots[slot];
            if (entry == 0)
            {
                index = -1;
                return false;
            }

            if (unchecked((uint)(entry >> 32)) == hash)
            {
                var offset = unchecked((int)(uint)entry) - 1;
                var length = _pool[offset + 2] | (_pool[offset + 3] << 16);
                if (id.SequenceEqual(_pool.AsSpan(offset + EntryHeader, length)))
                {
                    index = _pool[offset] | (_pool[offset + 1] << 16);
                    return true;
                }
            }

            slot = (slot + 1) & _mask;
        }
    }
}
