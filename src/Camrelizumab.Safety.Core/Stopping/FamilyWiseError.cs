namespace Camrelizumab.Safety.Core.Stopping;

/// <summary>
/// The probability that at least one of an arm's rules crosses when every endpoint is at its own p0, computed exactly
/// by a multinomial recursion over the joint counts (S_1, …, S_K) of K binary endpoints (docs/stopping-rules.md §7).
/// </summary>
/// <remarks>
/// The joint law of one patient's endpoints is a tree: an endpoint nested in another (grade 5 within grade ≥3, say)
/// can only occur with its parent, with P(child | parent) = p0_child / p0_parent; endpoints not nested are independent.
/// Every rule is looked at after every patient, up to the largest N; a rule past its own N keeps its last boundary.
/// </remarks>
internal static class FamilyWiseError
{
    /// <param name="parents">For each endpoint, the index of the endpoint it is nested in, or −1.</param>
    public static double Compute(IReadOnlyList<StoppingBoundary> rules, IReadOnlyList<double> rates, IReadOnlyList<int> parents)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(rates);
        ArgumentNullException.ThrowIfNull(parents);
        var k = rules.Count;
        if (k == 0)
        {
            return 0;
        }

        if (k > 12)
        {
            throw new ArgumentException("At most 12 endpoints per arm.", nameof(rules));
        }

        var patterns = PatternProbabilities(rates, parents);
        var maxN = rules.Max(r => r.Looks.MaxPatients);
        var boundaries = rules.Select(r => Enumerable.Range(1, maxN).Select(n => n <= r.Looks.MaxPatients ? r.BoundaryAt(n) ?? n + 1 : r.Boundaries[^1]).ToArray()).ToArray();

        var states = new Dictionary<State, double> { [new State(new int[k])] = 1.0 };
        var crossed = 0.0;
        for (var n = 1; n <= maxN; n++)
        {
            var next = new Dictionary<State, double>();
            foreach (var (state, probability) in states)
            {
                for (var pattern = 0; pattern < patterns.Length; pattern++)
                {
                    var p = patterns[pattern];
                    if (p == 0)
                    {
                        continue;
                    }

                    var counts = new int[k];
                    var stops = false;
                    for (var e = 0; e < k; e++)
                    {
                        counts[e] = state.Counts[e] + ((pattern >> e) & 1);
                        stops |= counts[e] >= boundaries[e][n - 1];
                    }

                    if (stops)
                    {
                        crossed += probability * p;
                    }
                    else
                    {
                        var key = new State(counts);
                        next[key] = next.GetValueOrDefault(key) + (probability * p);
                    }
                }
            }

            states = next;
        }

        return crossed;
    }

    /// <summary>P(one patient's endpoints = pattern) for every bit pattern, under the nesting tree.</summary>
    public static double[] PatternProbabilities(IReadOnlyList<double> rates, IReadOnlyList<int> parents)
    {
        ArgumentNullException.ThrowIfNull(rates);
        ArgumentNullException.ThrowIfNull(parents);
        var k = rates.Count;
        var result = new double[1 << k];
        for (var pattern = 0; pattern < result.Length; pattern++)
        {
            var p = 1.0;
            for (var e = 0; e < k && p > 0; e++)
            {
                var has = ((pattern >> e) & 1) == 1;
                var parent = parents[e];
                double conditional;
                if (parent < 0)
                {
                    conditional = rates[e];
                }
                else
                {
                    var parentHas = ((pattern >> parent) & 1) == 1;
                    conditional = parentHas ? rates[e] / rates[parent] : 0;
                }

                p *= has ? conditional : 1 - conditional;
            }

            result[pattern] = p;
        }

        return result;
    }

    private readonly struct State(int[] counts) : IEquatable<State>
    {
        public int[] Counts { get; } = counts;

        public bool Equals(State other) => Counts.AsSpan().SequenceEqual(other.Counts);

        public override bool Equals(object? obj) => obj is State other && Equals(other);

        public override int GetHashCode()
        {
            var hash = default(HashCode);
            foreach (var c in Counts)
            {
                hash.Add(c);
            }

            return hash.ToHashCode();
        }
    }
}
