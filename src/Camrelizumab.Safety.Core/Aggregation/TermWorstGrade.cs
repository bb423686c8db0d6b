namespace Camrelizumab.Safety.Core.Aggregation;

/// <summary>A subject's worst grade for one term (or the "Awaiting coding" row), with the term's SOC.</summary>
public sealed record TermWorstGrade(string Name, string Soc, int WorstGrade);
