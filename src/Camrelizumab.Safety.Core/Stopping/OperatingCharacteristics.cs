namespace Camrelizumab.Safety.Core.Stopping;

/// <summary>Exact operating characteristics of a boundary at one true toxicity rate.</summary>
/// <param name="Rate">The true toxicity probability p.</param>
/// <param name="RejectProbability">R(p) = P(the rule stops by look K); at p0 this is the crossing probability α.</param>
/// <param name="StopProbability">P(stop at look k), one entry per look.</param>
/// <param name="ExpectedPatients">E[evaluable patients when monitoring ends] = Σ n_k P(stop at k) + N(1 − R).</param>
/// <param name="ExpectedToxicities">E[toxicities when monitoring ends], stoppingrule's "E(events)".</param>
/// <param name="AcceptProbability">P(stopping early for acceptance); only rules with a lower boundary (Wald SPRT) have one.</param>
public sealed record OperatingCharacteristics(
    double Rate,
    double RejectProbability,
    IReadOnlyList<double> StopProbability,
    double ExpectedPatients,
    double ExpectedToxicities,
    double AcceptProbability = 0)
{
    /// <summary>
    /// The recursion of docs/stopping-rules.md §1: f_1(s) = Bin(s; n_1, p), and
    /// f_k(s) = Σ_j f_{k−1}(j) Bin(s − j; m_k, p) over the non-stopped states j &lt; b_{k−1}
    /// (and j &gt; a_{k−1} when there is a lower, acceptance boundary).
    /// </summary>
    public static OperatingCharacteristics Compute(Looks looks, IReadOnlyList<int> boundaries, double rate, IReadOnlyList<int>? acceptBoundaries = null)
    {
        ArgumentNullException.ThrowIfNull(looks);
        ArgumentNullException.ThrowIfNull(boundaries);
        if (boundaries.Count != looks.Values.Count)
        {
            throw new ArgumentException("One boundary per look is needed.", nameof(boundaries));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(rate, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rate, 1.0);

        var pmfByIncrement = new Dictionary<int, double[]>();
        var stop = new double[looks.Values.Count];
        double[] f = [1.0];
        var previousN = 0;
        var expectedPatients = 0.0;
        var expectedToxicities = 0.0;
        var accept = 0.0;
        for (var k = 0; k < looks.Values.Count; k++)
        {
            var n = looks.Values[k];
            var m = n - previousN;
            if (!pmfByIncrement.TryGetValue(m, out var increment))
            {
                increment = Binomial.Pmf(m, rate);
                pmfByIncrement[m] = increment;
            }

            var next = new double[n + 1];
            for (var j = 0; j < f.Length; j++)
            {
                var fj = f[j];
                if (fj == 0)
                {
                    continue;
                }

                for (var i = 0; i <= m; i++)
                {
                    next[j + i] += fj * increment[i];
                }
            }

            var b = boundaries[k];
            var keep = Math.Min(b, n + 1);
            for (var s = keep; s <= n; s++)
            {
                stop[k] += next[s];
                expectedToxicities += s * next[s];
            }

            expectedPatients += n * stop[k];
            if (acceptBoundaries is not null && k < looks.Values.Count - 1)
            {
                for (var sAccept = 0; sAccept <= Math.Min(acceptBoundaries[k], keep - 1); sAccept++)
                {
                    accept += next[sAccept];
                    expectedPatients += n * next[sAccept];
                    expectedToxicities += sAccept * next[sAccept];
                    next[sAccept] = 0;
                }
            }

            f = next[..keep];
            previousN = n;
        }

        var reject = stop.Sum();
        var maxPatients = looks.MaxPatients;
        expectedPatients += maxPatients * (1 - reject - accept);
        for (var s = 0; s < f.Length; s++)
        {
            expectedToxicities += s * f[s];
        }

        return new OperatingCharacteristics(rate, reject, stop, expectedPatients, expectedToxicities, accept);
    }
}
