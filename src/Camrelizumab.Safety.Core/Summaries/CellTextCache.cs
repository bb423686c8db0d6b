using Camrelizumab.Safety.Core.Tabular;

namespace Camrelizumab.Safety.Core.Summaries;

/// <summary>
/// A value computed from some cells of a row, remembered by the text of those cells, so that the millionth row like
/// an earlier one costs a look-up instead of a reading: a million-row export has a few dozen distinct combinations of
/// grade, flags, outcome and action, and a few thousand distinct terms.
/// </summary>
/// <remarks>
/// The key is each of the given columns' cells as its length and raw text, so two keys are equal exactly when those
/// cells are. At most <see cref="Capacity"/> values are kept, so memory stays bounded whatever the export; rows beyond
/// that are read in full.
/// </remarks>
internal sealed class CellTextCache<TValue>
{
    public const int Capacity = 100_000;

    private readonly int[] _columns;
    private readonly Dictionary<string, TValue> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TValue>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    private char[] _key = new char[256];

    /// <param name="columns">The columns the value depends on; negative indexes (absent columns) are left out.</param>
    public CellTextCache(IEnumerable<int> columns)
    {
        _columns = [.. columns.Where(i => i >= 0)];
        _bySpan = _values.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public bool TryFind(TabularReader record, out TValue value)
    {
        value = default!;
        var length = Key(record);
        return length >= 0 && _bySpan.TryGetValue(_key.AsSpan(0, length), out value!);
    }

    public void Remember(TabularReader record, TValue value)
    {
        var length = Key(record);
        if (length >= 0 && _values.Count < Capacity)
        {
            _bySpan.TryAdd(_key.AsSpan(0, length), value);
        }
    }

    /// <summary>Writes the record's key into <c>_key</c>; -1 when a cell is too long to be keyed by a length in one char.</summary>
    private int Key(TabularReader record)
    {
        var length = 0;
        foreach (var column in _columns)
        {
            var cell = record.Cell(column);
            // CSV cells are at most CsvLimits' 32,767 characters; longer cells of other formats are read in full.
            if (cell.Length > char.MaxValue)
            {
                return -1;
            }

            if (length + cell.Length + 1 > _key.Length)
            {
                Array.Resize(ref _key, Math.Max(_key.Length * 2, length + cell.Length + 1));
            }

            _key[length++] = (char)cell.Length;
            cell.CopyTo(_key.AsSpan(length));
            length += cell.Length;
        }

        return length;
    }
}
