using Camrelizumab.Safety.Core.AdverseEvents;
using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Core.Queries;
using Camrelizumab.Safety.Core.Text;

namespace Camrelizumab.Safety.Core.Coding;

/// <summary>
/// The current coder decisions (latest version per verbatim) and how they apply to events. Pure: the caller reads the
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

    /// <summary>The decision in force for a verbatim, if any (a revoked one is not in force).</summary>
    public CodingDecision? For(string? verbatim) =>
        verbatim is not null && _current.TryGetValue(KeyOf(verbatim), out var d) && !d.IsRevoked ? d : null;

    /// <summary>
    /// The event as the decisions code it. An event the ladder left uncoded, or that an earlier decision coded, takes
    /// the decision in force for its verbatim (and its uncoded query closes); without one it is uncoded again. Events the
    /// ladder or a MedDRA code coded are never changed by a decision.
    /// </summary>
    public AdverseEvent Apply(AdverseEvent adverseEvent)
    {
        ArgumentNullException.ThrowIfNull(adverseEvent);
        var ladderCoded = adverseEvent.Term is not null && adverseEvent.CodingMethod != CodingMethod.CoderDecision;
        if (ladderCoded)
        {
            return adverseEvent;
        }

        var decision = For(adverseEvent.VerbatimTerm);
        if (decision is null)
        {
            return adverseEvent.CodingMethod == CodingMethod.CoderDecision
                ? adverseEvent with
                {
                    Term = null,
                    CodingMethod = CodingMethod.NeedsCoding,
                    CodingDecision = null,
                    Queries = [new EventQuery(QueryKind.Uncoded, "verbatim", adverseEvent.VerbatimTerm, "The coder decision that coded it was revoked."), .. adverseEvent.Queries],
                }
                : adverseEvent;
        }

        return adverseEvent with
        {
            Term = decision.Term,
            CodingMethod = CodingMethod.CoderDecision,
            CodingConfidence = 1,
            CodingDecision = decision.Reference,
            Queries = [.. adverseEvent.Queries.Where(q => q.Kind != QueryKind.Uncoded)],
        };
    }

    public List<AdverseEvent> Apply(IEnumerable<AdverseEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        return [.. events.Select(Apply)];
    }
}
