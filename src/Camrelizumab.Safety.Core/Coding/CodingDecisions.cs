using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Core.Text;

namespace Camrelizumab.Safety.Core.Coding;

/// <summary>
/// The current coder decisions (latest version per verbatim); <c>AdverseEventCoding</c> applies them to events. Pure: the caller reads the
/// decisions from storage and applies them wherever events are counted, so a decision reaches past events without
/// rewriting them and is undone by revoking it.
/// </summary>
public sealed class CodingDecisions
{
    private readonly Dictionary<string, CodingDecision> _current;

    public CodingDecisions(IEnumerable<CodingDecision> decisions)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        _current = decisions
            .GroupBy(d => d.VerbatimKey, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.MaxBy(d => d.Version)!, StringComparer.Ordinal);
    }

    public static CodingDecisions None { get; } = new([]);

    /// <summary>The latest version of every decision, revoked ones included.</summary>
    public IReadOnlyCollection<CodingDecision> Current => _current.Values;

    /// <summary>The normalized verbatim a decision is keyed by: mojibake repaired, then case, spacing and punctuation ignored.</summary>
    public static string KeyOf(string verbatim)
    {
        ArgumentNullException.ThrowIfNull(verbatim);
        return TermKey.Of(TextRepair.Mojibake(verbatim));
    }

    /// <summary>The latest version of the decision on a normalized verbatim (<see cref="KeyOf"/>), revoked or not; 0 when
    /// there is none.</summary>
    public int VersionOf(string verbatimKey) => _current.TryGetValue(verbatimKey, out var d) ? d.Version : 0;

    /// <summary>The decision in force for a verbatim, if any (a revoked one is not in force).</summary>
    public CodingDecision? For(string? verbatim) =>
        verbatim is not null && _current.TryGetValue(KeyOf(verbatim), out var d) && !d.IsRevoked ? d : null;
}
