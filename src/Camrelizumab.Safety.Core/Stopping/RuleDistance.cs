namespace Camrelizumab.Safety.Core.Stopping;

/// <summary>
/// How far a rule is from crossing: <paramref name="EventsNeeded"/> more events would reach the boundary of look
/// <paramref name="Look"/>, among the <paramref name="PendingSubjects"/> pending subjects at enrolment positions
/// <paramref name="FirstPendingPosition"/>–<paramref name="LastPendingPosition"/> (1-based, first dose order) and
/// <paramref name="FutureSubjects"/> subjects not enrolled yet.
/// </summary>
public sealed record RuleDistance(int EventsNeeded, int Look, int PendingSubjects, int FirstPendingPosition, int LastPendingPosition, int FutureSubjects);
