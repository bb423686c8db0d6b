using Camrelizumab.Safety.Core.Ctcae;

namespace Camrelizumab.Safety.Core.Coding;

/// <summary>
/// A coder's decision for one verbatim text: from now on, past and future events whose verbatim has the same
/// <see cref="VerbatimKey"/> are coded to <see cref="Term"/>. Decisions are versioned, never edited: a change or a
/// revocation is a new version that names the one before.
/// </summary>
/// <param name="VerbatimKey">The verbatim as <see cref="CodingDecisions.KeyOf"/> normalizes it (case, spacing,
/// punctuation and mojibake do not matter).</param>
/// <param name="Term">The assigned CTCAE v5.0 term; <c>null</c> for a revocation (the events await coding again).</param>
/// <param name="PreviousTerm">The term of the version this one replaces, if any.</param>
public sealed record CodingDecision(
    string VerbatimKey,
    string Verbatim,
    CtcaeTerm? Term,
    int Version,
    string DecidedBy,
    DateTimeOffset DecidedAt,
    string Reason,
    string? PreviousTerm)
{
    public bool IsRevoked => Term is null;

    /// <summary>What an event coded by this decision records: key and version, so an evaluation names the decision it used.</summary>
    public string Reference => $"{VerbatimKey}@{Version}";
}
