namespace Camrelizumab.Safety.Core.Stopping;

/// <summary>One simulated subject: enrolment (first dose) time and, if the subject has the event, its onset time.</summary>
public readonly record struct SimulatedSubject(double Enrolled, double? Onset);
