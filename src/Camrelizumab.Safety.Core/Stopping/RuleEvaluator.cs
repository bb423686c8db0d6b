using Camrelizumab.Safety.Core.AdverseEvents;
using Camrelizumab.Safety.Core.Subjects;

namespace Camrelizumab.Safety.Core.Stopping;

/// <summary>Evaluates stopping rules on a data snapshot as of a date. Pure: the caller supplies the date.</summary>
/// <remarks>
/// <para>
/// The boundaries are calibrated for subjects judged in a fixed order that does not depend on their outcomes, so the
/// looks are taken in enrolment order: subject i is the i-th dosed subject of the arm by first-dose date (ties by
/// subject ID), and look n judges the first n. A subject is <em>evaluated</em> once a qualifying event has occurred or
/// the window [first dose, first dose + window) has closed on or before <c>asOf</c>; otherwise it is <em>pending</em>.
/// An event with no onset date is taken to have happened at first dose.
/// </para>
/// <para>
/// Look n crosses as soon as the <em>known</em> events among the first n subjects reach b_n. That is exact, not an
/// approximation: known events among a fixed set of subjects can only grow (a pending subject may still have the event,
/// an evaluated one keeps its result), so once they reach b_n the complete enrolment-order path crosses at look n or
/// earlier whatever the pending subjects do. A crossing is therefore declared only when the calibrated rule is certain
/// to stop, and the false-alarm probability in calendar time is the calibrated crossing probability R(p0). Taking
/// subjects in the order they became evaluable instead lets an early event jump ahead of earlier-enrolled subjects
/// still inside their window and inflates it (README, "Stopping rules in calendar time").
/// </para>
/// </remarks>
internal sealed class RuleEvaluator
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
        ArgumentNullException.ThrowIfNull(eventsBySubject);
        return Evaluate(rule, subjects, (subject, firstDose) => eventsBySubject[subject].Any(e => rule.Event.Includes(e, firstDose)), asOf);
    }

    /// <summary>
    /// Evaluates on folded facts: <paramref name="earliestOnset"/> gives, per subject ID, the earliest onset
    /// (<see cref="EventDefinition.OnsetKey"/>) among the subject's events that meet every criterion of the rule's
    /// definition but the window, or <c>null</c> when none does. The same result as from the events themselves.
    /// </summary>
    public RuleEvaluation Evaluate(StoppingRule rule, IEnumerable<Subject> subjects, Func<string, DateOnly?> earliestOnset, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(earliestOnset);
        return Evaluate(rule, subjects, (subject, firstDose) => earliestOnset(subject) is { } onset && rule.Event.OnsetInWindow(onset, firstDose), asOf);
    }

    private RuleEvaluation Evaluate(StoppingRule rule, IEnumerable<Subject> subjects, Func<string, DateOnly, bool> hadEvent, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(subjects);
        var boundary = BoundaryFor(rule);
        var enrolled = subjects
            .Where(s => s.Arm == rule.Arm && s.FirstDoseDate is not null)
            .OrderBy(s => s.FirstDoseDate)
            .ThenBy(s => s.SubjectId, StringComparer.Ordinal)
            .Select(s => (s.SubjectId, Result: Judge(rule, s.FirstDoseDate!.Value, hadEvent(s.SubjectId, s.FirstDoseDate!.Value), asOf)))
            .ToList();

        var path = new List<int>(enrolled.Count);
        var pendingBefore = new List<int>(enrolled.Count);
        var events = 0;
        var pending = 0;
        RuleCrossing? crossing = null;
        foreach (var (_, result) in enrolled)
        {
            events += result == SubjectResult.Event ? 1 : 0;
            pending += result == SubjectResult.Pending ? 1 : 0;
            path.Add(events);
            pendingBefore.Add(pending);
            var n = path.Count;
            if (crossing is null && boundary.Feasible && boundary.BoundaryAt(n) is { } b && b <= n && events >= b)
            {
                crossing = new RuleCrossing(n, events, b);
            }
        }

        var status = !boundary.Feasible ? RuleStatus.Infeasible : crossing is not null ? RuleStatus.Crossed : RuleStatus.Ok;
        var positions = enrolled.Select((s, i) => (s.Result, Position: i + 1)).Where(s => s.Result == SubjectResult.Pending).Select(s => s.Position).ToList();
        return new RuleEvaluation(
            rule,
            boundary,
            status,
            enrolled.Count,
            enrolled.Count - pending,
            events,
            pending,
            enrolled.Count == 0 ? null : boundary.BoundaryAt(enrolled.Count),
            crossing,
            status == RuleStatus.Ok ? Distance(boundary, path, pendingBefore, positions) : null,
            [.. enrolled.Where(s => s.Result == SubjectResult.Event).Select(s => s.SubjectId).Order(StringComparer.Ordinal)],
            path);
    }

    private static SubjectResult Judge(StoppingRule rule, DateOnly firstDose, bool hadEvent, DateOnly asOf) =>
        hadEvent ? SubjectResult.Event
        : firstDose.AddDays(rule.Event.WindowDays) <= asOf ? SubjectResult.NoEvent
        : SubjectResult.Pending;

    /// <summary>
    /// The fewest further events that would cross some look. Looks among the subjects enrolled so far need those events
    /// among their pending subjects; of equally near looks the latest is named, because any such events among all of
    /// its pending subjects cross by that look. Only when no enrolled look is in reach do looks that need subjects not
    /// yet enrolled count (the earliest of equally near ones).
    /// </summary>
    private static RuleDistance? Distance(StoppingBoundary boundary, List<int> path, List<int> pendingBefore, List<int> pendingPositions)
    {
        RuleDistance? best = null;
        for (var n = 1; n <= path.Count; n++)
        {
            if (boundary.BoundaryAt(n) is { } b && b <= n && b - path[n - 1] <= pendingBefore[n - 1] && (best is null || b - path[n - 1] <= best.EventsNeeded))
            {
                var pendingHere = pendingPositions.Where(p => p <= n).ToList();
                best = new RuleDistance(b - path[n - 1], n, pendingHere.Count, pendingHere[0], pendingHere[^1], 0);
            }
        }

        if (best is not null)
        {
            return best;
        }

        var enrolled = path.Count;
        var known = enrolled == 0 ? 0 : path[^1];
        var pending = enrolled == 0 ? 0 : pendingBefore[^1];
        for (var n = enrolled + 1; n <= boundary.Looks.MaxPatients; n++)
        {
            if (boundary.BoundaryAt(n) is { } b && b <= n && b - known <= pending + (n - enrolled) && (best is null || b - known < best.EventsNeeded))
            {
                best = new RuleDistance(b - known, n, pending, pending == 0 ? 0 : pendingPositions[0], pending == 0 ? 0 : pendingPositions[^1], n - enrolled);
            }
        }

        return best;
    }

    private enum SubjectResult
    {
        NoEvent,
        Event,
        Pending,
    }
}
