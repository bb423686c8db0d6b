using System.Globalization;

namespace Camrelizumab.Safety.Core.Stopping;

/// <summary>The numbers of evaluable patients n_1 &lt; … &lt; n_K = N at which a rule is checked.</summary>
public sealed record Looks
{
    private Looks(int[] values) => Values = values;

    public IReadOnlyList<int> Values { get; }

    /// <summary>N, the last look.</summary>
    public int MaxPatients => Values[^1];

    /// <summary>Continuous monitoring: a look at every evaluable patient 1..N.</summary>
    public static Looks Continuous(int maxPatients)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPatients, 1);
        return new Looks([.. Enumerable.Range(1, maxPatients)]);
    }

    public static Looks Of(IEnumerable<int> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        int[] array = [.. values];
        if (array.Length == 0)
        {
            throw new ArgumentException("At least one look is needed.", nameof(values));
        }

        for (var i = 0; i < array.Length; i++)
        {
            if (array[i] < 1 || (i > 0 && array[i] <= array[i - 1]))
            {
                throw new ArgumentException("Looks must be positive and strictly increasing.", nameof(values));
            }
        }

        return new Looks(array);
    }

    /// <summary>Parses a range <c>1-60</c> or a list <c>10,20,30,40</c>.</summary>
    public static Looks Parse(string spec)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        var dash = spec.IndexOf('-', StringComparison.Ordinal);
        if (dash > 0 && !spec.Contains(',', StringComparison.Ordinal))
        {
            var first = int.Parse(spec.AsSpan(0, dash).Trim(), CultureInfo.InvariantCulture);
            var last = int.Parse(spec.AsSpan(dash + 1).Trim(), CultureInfo.InvariantCulture);
            if (first < 1 || last < first)
            {
                throw new FormatException($"The look range '{spec}' must be 'first-last' with 1 ≤ first ≤ last.");
            }

            return new Looks([.. Enumerable.Range(first, last - first + 1)]);
        }

        return Of(spec.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(s => int.Parse(s, CultureInfo.InvariantCulture)));
    }

    /// <summary>The index of the last look at or before <paramref name="patients"/>, or -1 when none has happened.</summary>
    public int IndexAtOrBefore(int patients)
    {
        var index = -1;
        for (var i = 0; i < Values.Count && Values[i] <= patients; i++)
        {
            index = i;
        }

        return index;
    }

    public bool Equals(Looks? other) => other is not null && Values.SequenceEqual(other.Values);

    public override int GetHashCode() => Values.Aggregate(Values.Count, HashCode.Combine);
}
