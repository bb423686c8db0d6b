namespace Camrelizumab.Safety.Core.Grading;

/// <summary>One laboratory result with what CTCAE v5.0 needs to grade it; the names follow ADaM ADLB.</summary>
/// <remarks><c>null</c> means "not reported". The grader never guesses a missing limit or baseline: it grades only
/// what the reported values decide, and says which value it missed otherwise.</remarks>
public sealed record LabMeasurement
{
    /// <summary>The result (ADLB AVAL).</summary>
    public decimal? Value { get; init; }

    /// <summary>The unit of the result and of its limits and baseline (AVALU).</summary>
    public string? Unit { get; init; }

    /// <summary>Lower limit of normal (ANRLO).</summary>
    public decimal? LowerLimit { get; init; }

    /// <summary>Upper limit of normal (ANRHI).</summary>
    public decimal? UpperLimit { get; init; }

    /// <summary>The subject's baseline result (BASE).</summary>
    public decimal? Baseline { get; init; }

    /// <summary>Whether the baseline was within range (BNRIND: NORMAL, LOW, HIGH).</summary>
    public string? BaselineRange { get; init; }

    /// <summary>Percent change from baseline (PCHG); negative is a decrease.</summary>
    public decimal? PercentChange { get; init; }

    internal LabMeasurement Scaled(decimal factor) => factor == 1m ? this : this with
    {
        Value = Value * factor,
        LowerLimit = LowerLimit * factor,
        UpperLimit = UpperLimit * factor,
        Baseline = Baseline * factor,
    };
}
