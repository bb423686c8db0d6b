namespace Camrelizumab.Safety.Core.Stopping;

/// <summary>A toxicity stopping boundary: stop at look k when the cumulative toxicity count S_k ≥ b_k.</summary>
/// <param name="Method">The boundary family (its name: <see cref="BoundaryFamilies.Name"/>).</param>
/// <param name="Boundaries">b_k per look; b_k = n_k + 1 means the rule cannot stop at that look.</param>
/// <param name="Feasible">False when no rule of the family keeps the crossing probability at or below α.</param>
/// <param name="AchievedAlpha">The exact crossing probability R(p0) of these boundaries.</param>
/// <param name="ConstantLow">Lower end of the interval of calibration constants that give these boundaries.</param>
/// <param name="ConstantHigh">Upper end of that interval.</param>
public sealed record StoppingBoundary(
    BoundaryMethod Method,
    decimal P0,
    decimal Alpha,
    Looks Looks,
    IReadOnlyList<int> Boundaries,
    bool Feasible,
    double AchievedAlpha,
    double ConstantLow,
    double ConstantHigh)
{
    /// <summary>Wald SPRT only: stop for acceptance of p0 at look k when S_k ≤ a_k (−1: never).</summary>
    public IReadOnlyList<int>? AcceptBoundaries { get; init; }

    /// <summary>How to read the constant interval, e.g. "c in (0.96308269, 0.96319152]" or "λ = 0.87, γ = 0.4".</summary>
    public string? ConstantDescription { get; init; }

    /// <summary>
    /// The number of toxicities that stops the rule with <paramref name="evaluablePatients"/> evaluable, or <c>null</c>
    /// when no look falls at that number. Beyond the last look the final boundary applies.
    /// </summary>
    public int? BoundaryAt(int evaluablePatients)
    {
        if (evaluablePatients > Looks.MaxPatients)
        {
            return Boundaries[^1];
        }

        var index = Looks.IndexAtOrBefore(evaluablePatients);
        return index >= 0 && Looks.Values[index] == evaluablePatients ? Boundaries[index] : null;
    }

    /// <summary>True when the boundary at this look can actually be reached (b_k ≤ n_k).</summary>
    public bool CanStopAt(int lookIndex) => Boundaries[lookIndex] <= Looks.Values[lookIndex];

    /// <summary>Exact operating characteristics at a true rate.</summary>
    public OperatingCharacteristics OperatingCharacteristicsAt(double rate) =>
        OperatingCharacteristics.Compute(Looks, Boundaries, rate, AcceptBoundaries);
}
