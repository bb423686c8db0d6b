using System.Text.Json.Serialization;

namespace Camrelizumab.Safety.Core.Stopping;

/// <summary>One arm-level toxicity stopping rule from the reviewed rules file.</summary>
public sealed record StoppingRule
{
    /// <summary>Stable identifier, used in alert ids; letters, digits and hyphens.</summary>
    public required string Id { get; init; }

    public required string Title { get; init; }

    /// <summary>The arm code the rule monitors.</summary>
    public required string Arm { get; init; }

    public required EventDefinition Event { get; init; }

    /// <summary>The boundary family, written in the file by its name (<see cref="BoundaryFamilies.Names"/>).</summary>
    [JsonConverter(typeof(BoundaryMethodJsonConverter))]
    public required BoundaryMethod Method { get; init; }

    /// <summary>The highest acceptable toxicity rate, as typed (kept decimal so ties are exact).</summary>
    public required decimal P0 { get; init; }

    /// <summary>The crossing probability allowed at p0.</summary>
    public required decimal Alpha { get; init; }

    /// <summary>N, the planned number of evaluable patients in the arm.</summary>
    public required int MaxPatients { get; init; }

    /// <summary>Looks as a range (<c>1-60</c>) or a list (<c>10,20,30,40</c>); every evaluable patient up to N when empty.</summary>
    public string? Looks { get; init; }

    /// <summary>Beta prior [a, b] for the Bayesian families.</summary>
    public IReadOnlyList<double>? Prior { get; init; }

    /// <summary>Alternative rate (SPRT, Wald SPRT, Chen–Chaloner; BOP2's acceptable rate).</summary>
    public decimal? P1 { get; init; }

    /// <summary>Wang–Tsiatis Δ.</summary>
    public double? Delta { get; init; }

    /// <summary>Chen–Chaloner ν.</summary>
    public double? Nu { get; init; }

    /// <summary>Fixed posterior threshold of the uncalibrated Bayesian rule.</summary>
    public double? Threshold { get; init; }

    /// <summary>Wald SPRT β (1 − power at p1).</summary>
    public double? Beta { get; init; }

    /// <summary>The boundary design this rule describes (throws on bad looks).</summary>
    public BoundaryDesign Design() => new()
    {
        Method = Method,
        P0 = P0,
        Alpha = Alpha,
        Looks = string.IsNullOrWhiteSpace(Looks) ? Stopping.Looks.Continuous(MaxPatients) : Stopping.Looks.Parse(Looks),
        Prior = Prior is [var a, var b] ? (a, b) : null,
        P1 = P1,
        Delta = Delta,
        Nu = Nu,
        Threshold = Threshold,
        Beta = Beta,
    };

    /// <summary>Recipient roles (e.g. <c>safetyPhysicians</c>, <c>dsmb</c>).</summary>
    public IReadOnlyList<string> Recipients { get; init; } = [];

    /// <summary>Where the parameters come from (protocol section or design document).</summary>
    public string? Source { get; init; }
}
