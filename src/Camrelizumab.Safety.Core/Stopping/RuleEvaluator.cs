using Camrelizumab.Safety.Core.AdverseEvents;
using Camrelizumab.Safety.Core.Configuration;
using Camrelizumab.Safety.Core.Subjects;

namespace Camrelizumab.Safety.Core.Stopping;

/// <summary>Evaluates stopping rules on a data snapshot as of a date. Pure: the caller supplies the date.</summary>
/// <remarks>
/// A dosed subject is evaluable once the rule's window [first dose, first dose + window) has closed on or before
/// <c>asOf</c>, or as soon as a qualifying event has occurred. Evaluable subjects are taken in the order they became
/// evaluable (event onset, or window end; ties by subject ID), so a bulk upload is judged look by look exactly as
/// continuous monitoring would have judged it, and an early crossing is not hidden by later non-toxic patients.
/// An event with no onset date is taken to have happened at first dose.
/// </remarks>
public sealed class RuleEvaluator
{
    private readonly Dictionary<string, StoppingBoundary> _boundaries = [];

    public StoppingBoundary BoundaryFor(StoppingRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (!_boundaries.TryGetValue(rule.Id, out var boundary))
        {
            boundary = BoundaryCalculator.Compute(rule.Design());
            _boundaries[rule.Id] = boundary;
        }

        return boundary;
    }

    public RuleEvaluation Evaluate(StoppingRule rule, IEnumerable<Subject> subjects, ILookup<string, AdverseEvent> eventsBySubject, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(subjects);
        ArgumentNullException.ThrowIfNull(eventsBySubject);
        var boundary = BoundaryFor(rule);
        var evaluable = new List<(DateOnly Since, string SubjectId, bool HadEvent)>();
        var pending = 0;
        foreach (var subject in subjects.Where(s => s.Arm == rule.Arm))
        {
            if (subject.FirstDoseDate is not { } firstDose)
            {
                continue;
            }

            var windowEnd = firstDose.AddDays(rule.Event.WindowDays);
            var qualifying = eventsBySubject[subject.SubjectId].Where(e => rule.Event.Includes(e, firstDose)).ToList();
            if (qualifying.Count > 0)
            {
                var onset = qualifying.Min(e => e.Onset?.Earliest ?? firstDose);
                evaluable.Add((onset < windowEnd ? onset : windowEnd, subject.SubjectId, true));
            }
            else if (windowEnd <= asOf)
            {
                evaluable.Add((windowEnd, subject.SubjectId, false));
            }
            else
            {
                pending++;
            }
        }

        evaluable.Sort((a, b) => a.Since != b.Since ? a.Since.CompareTo(b.Since) : string.CompareOrdinal(a.SubjectId, b.SubjectId));
        var path = new List<int>(evaluable.Count);
        (int, int)? firstCrossing = null;
        var events = 0;
        foreach (var subject in evaluable)
        {
            events += subject.HadEvent ? 1 : 0;
            path.Add(events);
            var n = path.Count;
            if (firstCrossing is null && boundary.Feasible && boundary.BoundaryAt(n) is { } b && events >= b)
            {
                firstCrossing = (n, events);
            }
        }

        var status = !boundary.Feasible ? RuleStatus.Infeasible : firstCrossing is not null ? RuleStatus.Crossed : RuleStatus.Ok;
        return new RuleEvaluation(
            rule,
            boundary,
            status,
            evaluable.Count,
            events,
            pending,
            evaluable.Count == 0 ? null : boundary.BoundaryAt(evaluable.Count),
            firstCrossing,
            status == RuleStatus.Ok ? EventsToCross(boundary, evaluable.Count, events) : null,
            [.. evaluable.Where(s => s.HadEvent).Select(s => s.SubjectId).Order(StringComparer.Ordinal)],
            path);
    }

    private static int? EventsToCross(StoppingBoundary boundary, int n, int events)
    {
        for (var k = 1; n + k <= boundary.Looks.MaxPatients; k++)
        {
            if (boundary.BoundaryAt(n + k) is { } b && events + k >= b)
            {
                return k;
            }
        }

        return null;
    }
}
