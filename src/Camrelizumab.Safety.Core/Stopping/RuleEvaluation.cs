using Camrelizumab.Safety.Core.Configuration;

namespace Camrelizumab.Safety.Core.Stopping;

/// <summary>The result of evaluating one stopping rule in one arm on one data snapshot.</summary>
/// <param name="Evaluable">Subjects whose evaluation window has closed or who had the event.</param>
/// <param name="Events">Evaluable subjects with a qualifying event (each subject counts once).</param>
/// <param name="Pending">Dosed subjects still inside their window without the event.</param>
/// <param name="BoundaryAtEvaluable">b_n at n = <paramref name="Evaluable"/>, or <c>null</c> when no look falls there.</param>
/// <param name="FirstCrossing">The (n, events) of the first look at which the path reached the boundary.</param>
/// <param name="EventsToCross">Smallest k such that k more events among the next k evaluable patients would cross; <c>null</c> when crossed or impossible.</param>
/// <param name="SubjectsWithEvent">Subject IDs behind <paramref name="Events"/>, for the alert (IDs only).</param>
/// <param name="Path">Cumulative events after each evaluable patient, in the order they became evaluable.</param>
public sealed record RuleEvaluation(
    StoppingRule Rule,
    StoppingBoundary Boundary,
    RuleStatus Status,
    int Evaluable,
    int Events,
    int Pending,
    int? BoundaryAtEvaluable,
    (int Patients, int Events)? FirstCrossing,
    int? EventsToCross,
    IReadOnlyList<string> SubjectsWithEvent,
    IReadOnlyList<int> Path)
{
    /// <summary>A sentence for the DSMB about how far the rule is from stopping.</summary>
    public string DistanceText => Status switch
    {
        RuleStatus.Crossed when FirstCrossing is { } c => $"Crossed at {Plural(c.Events, "event")} in {Plural(c.Patients, "evaluable patient")}.",
        RuleStatus.Infeasible => "No boundary can stop at this α; the rule monitors nothing.",
        _ when EventsToCross is { } k => k == 1
            ? "1 more event in the next evaluable patient would cross."
            : $"{k} more events among the next {k} evaluable patients would cross.",
        _ => $"The boundary cannot be reached within the planned {Rule.MaxPatients} patients.",
    };

    private static string Plural(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
