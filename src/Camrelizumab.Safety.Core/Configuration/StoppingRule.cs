namespace Camrelizumab.Safety.Core.Configuration;

/// <summary>One arm-level toxicity stopping rule from the reviewed rules file.</summary>
public sealed record StoppingRule
{
    /// <summary>Stable identifier, used in alert ids; letters, digits and hyphens.</summary>
    public required string Id { get; init; }

    public required string Title { get; init; }

    /// <summary>The arm code the rule monitors.</summary>
    public required string Arm { get; init; }

    public required EventDefinition Event { get; init; }

    /// <summary>The boundary family; this build evaluates <c>pocock</c>.</summary>
    public required string Method { get; init; }

    /// <summary>The highest acceptable toxicity rate, as typed (kept decimal so ties are exact).</summary>
    public required decimal P0 { get; init; }

    /// <summary>The crossing probability allowed at p0.</summary>
    public required decimal Alpha { get; init; }

    /// <summary>N, the planned number of evaluable patients in the arm.</summary>
    public required int MaxPatients { get; init; }

    /// <summary>Recipient roles (e.g. <c>safety-physicians</c>, <c>dsmb</c>).</summary>
    public IReadOnlyList<string> Recipients { get; init; } = [];

    /// <summary>Where the parameters come from (protocol section or design document).</summary>
    public string? Source { get; init; }
}
