using System.Globalization;

namespace Camrelizumab.Safety.Core.Stopping;

/// <summary>The result of evaluating one stopping rule in one arm on one data snapshot.</summary>
/// <param name="Enrolled">Dosed subjects of the arm, the looks' population in enrolment (first-dose) order.</param>
/// <param name="Evaluable">Subjects whose evaluation window has closed or who had the event.</param>
/// <param name="Events">Subjects with a qualifying event (each subject counts once).</param>
/// <param name="Pending">Dosed subjects still inside their window without the event.</param>
/// <param name="BoundaryAtEnrolled">b_n at n = <paramref name="Enrolled"/> (the look that judges everyone dosed so far), or <c>null</c> when no look falls there. Context only: the decision is <paramref name="Crossing"/>.</param>
/// <param name="Crossing">The first look whose known events reached its boundary; <c>null</c> when not crossed.</param>
/// <param name="Distance">The fewest further events that would cross, and where; <c>null</c> when crossed or out of reach.</param>
/// <param name="SubjectsWithEvent">Subject IDs behind <paramref name="Events"/>, for the alert (IDs only).</param>
/// <param name="Path">Known events among the first n enrolled subjects, n = 1 … <paramref name="Enrolled"/>.</param>
public sealed record RuleEvaluation(
    StoppingRule Rule,
    StoppingBoundary Boundary,
    RuleStatus Status,
    int Enrolled,
    int Evaluable,
    int Events,
    int Pending,
    int? BoundaryAtEnrolled,
    RuleCrossing? Crossing,
    RuleDistance? Distance,
    IReadOnlyList<string> SubjectsWithEvent,
    IReadOnlyList<int> Path)
{
    /// <summary>What crossed, or how far the rule is from crossing, in one sentence for the DSMB.</summary>
    public string DistanceText => Status switch
    {
        RuleStatus.Crossed when Crossing is { } c => CrossingText(c),
        RuleStatus.Infeasible => "No boundary can stop at this α; the rule monitors nothing.",
        _ when Distance is { } d => DistanceSentence(d),
        _ => $"The boundary cannot be reached within the planned {Rule.MaxPatients} patients.",
    };

    /// <summary>"Crossed at look 2: 2 events among the first 2 enrolled reached its boundary of 2. Stays crossed."</summary>
    public static string CrossingText(RuleCrossing crossing)
    {
        ArgumentNullException.ThrowIfNull(crossing);
        return string.Create(CultureInfo.InvariantCulture,
            $"Crossed at look {crossing.Look}: {Plural(crossing.Events, "event")} among the first {crossing.Look} enrolled reached its boundary of {crossing.Boundary}. Stays crossed.");
    }

    private static string DistanceSentence(RuleDistance d)
    {
        var more = d.EventsNeeded == 1 ? "1 more event" : $"{d.EventsNeeded} more events";
        var among = (d.PendingSubjects, d.FutureSubjects) switch
        {
            (0, 1) => "in the next subject enrolled",
            (0, var f) => $"among the next {f} subjects enrolled",
            (1, 0) => $"in the pending subject enrolled {Ordinal(d.FirstPendingPosition)}",
            (var p, 0) => $"among the {p} pending subjects enrolled {Ordinal(d.FirstPendingPosition)}–{Ordinal(d.LastPendingPosition)}",
            (var p, var f) => $"among the {Plural(p, "pending subject")} enrolled {Ordinal(d.FirstPendingPosition)}–{Ordinal(d.LastPendingPosition)} and the next {Plural(f, "subject")} enrolled",
        };
        return string.Create(CultureInfo.InvariantCulture, $"Not crossed. {more} {among} would cross at look {d.Look}.");
    }

    private static string Ordinal(int n) => (n % 100, n % 10) switch
    {
        (11 or 12 or 13, _) => $"{n}th",
        (_, 1) => $"{n}st",
        (_, 2) => $"{n}nd",
        (_, 3) => $"{n}rd",
        _ => $"{n}th",
    };

    private static string Plural(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
