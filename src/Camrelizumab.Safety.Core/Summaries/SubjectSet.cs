using System.Numerics;

namespace Camrelizumab.Safety.Core.Summaries;

/// <summary>
/// The subjects (indexes 0 to <c>universe</c> − 1) that have had one term or SOC: a hash set while few, a bitmap once
/// the bitmap is the smaller, so a term seen by most of 50,000 subjects costs 6 KB and a bit test per event, and a rare
/// verbatim costs a handful of entries.
/// </summary>
internal sealed class SubjectSet
{
    private readonly int _universe;
    private HashSet<int>? _few = [];
    private ulong[]? _bits;

    public SubjectSet(int universe)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(universe);
        _universe = universe;
    }

    /// <summary>Distinct subjects added.</summary>
    public int Count { get; private set; }

    /// <summary>Whether the set has become a bitmap (for tests).</summary>
    internal bool IsBitmap => _bits is not null;

    public void Add(int subject)
    {
        if (subject < 0 || subject >= _universe)
        {
            throw new ArgumentOutOfRangeException(nameof(subject), subject, $"A subject index is below {_universe}.");
        }

        if (_bits is { } bits)
        {
            ref var word = ref bits[subject >> 6];
            var mask = 1UL << subject;
            if ((word & mask) == 0)
            {
                word |= mask;
                Count++;
            }

            return;
        }

        if (_few!.Add(subject))
        {
            Count++;
            // A hash set entry costs about 16 bytes (entry and bucket), a bitmap a bit per subject of the universe.
            if (_few.Count > Math.Max(64, _universe / 128))
            {
                bits = new ulong[(_universe + 63) >> 6];
                foreach (var member in _few)
                {
                    bits[member >> 6] |= 1UL << member;
                }

                _bits = bits;
                _few = null;
            }
        }
    }

    /// <summary>The members, in no particular order.</summary>
    public IEnumerable<int> Members()
    {
        if (_few is not null)
        {
            foreach (var member in _few)
            {
                yield return member;
            }

            yield break;
        }

        for (var w = 0; w < _bits!.Length; w++)
        {
            var word = _bits[w];
            while (word != 0)
            {
                yield return (w << 6) + BitOperations.TrailingZeroCount(word);
                word &= word - 1;
            }
        }
    }
}
