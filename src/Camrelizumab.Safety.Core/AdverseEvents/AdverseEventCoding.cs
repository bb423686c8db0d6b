using Camrelizumab.Safety.Core.Coding;
using Camrelizumab.Safety.Core.Queries;
using Camrelizumab.Safety.Core.Subjects;

namespace Camrelizumab.Safety.Core.AdverseEvents;

/// <summary>
/// Coder decisions applied to events, and the verbatims still waiting for one. Coding knows terms and verbatims, not
/// events; this is where the two meet, so that events depend on coding and never the other way round.
/// </summary>
public static class AdverseEventCoding
{
    /// <summary>
    /// The event as the decisions code it. An event the ladder left uncoded, or that an earlier decision coded, takes
    /// the decision in force for its verbatim (and its uncoded query closes); without one it is uncoded again. Events the
    /// ladder or a MedDRA code coded are never changed by a decision.
    /// </summary>
    public static AdverseEvent Apply(this CodingDecisions decisions, AdverseEvent adverseEvent)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        ArgumentNullException.ThrowIfNull(adverseEvent);
        var ladderCoded = adverseEvent.Term is not null && adverseEvent.CodingMethod != CodingMethod.CoderDecision;
        if (ladderCoded)
        {
            return adverseEvent;
        }

        var decision = decisions.For(adverseEvent.VerbatimTerm);
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

    public static List<AdverseEvent> Apply(this CodingDecisions decisions, IEnumerable<AdverseEvent> events)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        ArgumentNullException.ThrowIfNull(events);
        return [.. events.Select(decisions.Apply)];
    }

    /// <summary>Groups the uncoded events (coder decisions already applied) by normalized verbatim, most serious and
    /// worst-graded first, so a coder starts where a code changes the most.</summary>
    public static List<PendingVerbatim> Pending(IEnumerable<AdverseEvent> events, IEnumerable<Subject> subjects, CtcaeCoder coder)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(subjects);
        ArgumentNullException.ThrowIfNull(coder);
        var arms = subjects.ToDictionary(s => s.SubjectId, s => s.Arm, StringComparer.Ordinal);
        return [.. events
            .Where(e => e.IsUncoded)
            .GroupBy(e => CodingDecisions.KeyOf(e.VerbatimTerm ?? ""), StringComparer.Ordinal)
            .Select(g =>
            {
                var verbatim = g.First().VerbatimTerm ?? "";
                return new PendingVerbatim(
                    verbatim,
                    g.Key,
                    g.Count(),
                    g.Select(e => e.SubjectId).Distinct(StringComparer.Ordinal).Count(),
                    g.Max(e => e.Grade.Value),
                    g.Count(e => e.Serious is true),
                    g.GroupBy(e => arms.GetValueOrDefault(e.SubjectId) ?? PendingVerbatim.NotInRoster, StringComparer.Ordinal).ToDictionary(a => a.Key, a => a.Count(), StringComparer.Ordinal),
                    verbatim.Length == 0 ? [] : coder.Code(verbatim).Suggestions);
            })
            .OrderByDescending(p => p.Serious > 0)
            .ThenByDescending(p => p.WorstGrade)
            .ThenByDescending(p => p.Events)
            .ThenBy(p => p.VerbatimKey, StringComparer.Ordinal)];
    }
}
