namespace Camrelizumab.Safety.Core.Stopping;

/// <summary>
/// The look at which a rule crossed: among the first <paramref name="Look"/> subjects in enrolment order,
/// <paramref name="Events"/> known events reached the boundary <paramref name="Boundary"/> of that look.
/// </summary>
/// <remarks>
/// Known events among a fixed set of subjects can only grow as their windows run (a pending subject can gain an event,
/// an evaluated one cannot lose it), so a crossing stays crossed; only a data correction can undo it.
/// </remarks>
public sealed record RuleCrossing(int Look, int Events, int Boundary);
