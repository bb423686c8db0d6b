namespace Camrelizumab.Safety.Core.Stopping;

/// <summary>Everything that defines a boundary: family, p0, α, looks, and the family's own parameters.</summary>
/// <remarks>p0, p1 and α are decimals so that ties are decided on the values the statistician typed.</remarks>
public sealed record BoundaryDesign
{
    /// <summary>
    /// The largest N accepted. Calibration is O(N²) per operating-characteristics recursion over up to N² candidate
    /// constants; 1,000 takes seconds (`safety bench boundary`), 100,000 would take hours.
    /// </summary>
    public const int MaxPatientsLimit = 1000;

    public required BoundaryMethod Method { get; init; }

    /// <summary>The highest acceptable toxicity rate (BOP2: φ, the unacceptable rate the rule must catch).</summary>
    public required decimal P0 { get; init; }

    /// <summary>Allowed crossing probability at p0 (BOP2: allowed P(no stop) at φ; Wald SPRT: Wald's α).</summary>
    public required decimal Alpha { get; init; }

    public required Looks Looks { get; init; }

    /// <summary>Beta prior (a, b) for the Bayesian families; Beta(1, 1) when not given.</summary>
    public (double A, double B)? Prior { get; init; }

    /// <summary>The alternative rate: SPRT and Wald SPRT (required), Chen–Chaloner (required), BOP2 (the acceptable rate).</summary>
    public decimal? P1 { get; init; }

    /// <summary>Wang–Tsiatis Δ (0 = O'Brien–Fleming, ½ = normal-approximation Pocock).</summary>
    public double? Delta { get; init; }

    /// <summary>Chen–Chaloner ν, the posterior probability required that p exceeds p1.</summary>
    public double? Nu { get; init; }

    /// <summary>The fixed posterior threshold c of the uncalibrated Bayesian rule.</summary>
    public double? Threshold { get; init; }

    /// <summary>Wald SPRT β (1 − power at p1); 0.2 when not given.</summary>
    public double? Beta { get; init; }

    /// <summary>Every missing or out-of-range parameter, as values that each caller names in its own words.</summary>
    public IReadOnlyList<BoundaryProblem> Problems()
    {
        var problems = new List<BoundaryProblem>();
        if (Looks.MaxPatients > MaxPatientsLimit)
        {
            problems.Add(new(BoundaryField.Looks, $"{Looks.MaxPatients} patients is above the limit of {MaxPatientsLimit}."));
        }

        if (P0 is <= 0 or >= 1)
        {
            problems.Add(new(BoundaryField.P0, $"{P0} must lie strictly between 0 and 1."));
        }

        if (Alpha is <= 0 or >= 1)
        {
            problems.Add(new(BoundaryField.Alpha, $"{Alpha} must lie strictly between 0 and 1."));
        }

        if (P1 is { } p1 && (p1 <= 0 || p1 >= 1))
        {
            problems.Add(new(BoundaryField.P1, $"{p1} must lie strictly between 0 and 1."));
        }

        if (Prior is { } prior && (prior.A <= 0 || prior.B <= 0))
        {
            problems.Add(new(BoundaryField.Prior, "a,b must both be positive."));
        }

        if (Beta is { } beta && beta is not (> 0 and < 1))
        {
            problems.Add(new(BoundaryField.Beta, $"{beta} must lie strictly between 0 and 1."));
        }

        problems.AddRange(BoundaryFamilies.Of(Method).Problems(this));
        return problems;
    }
}
