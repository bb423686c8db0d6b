namespace Camrelizumab.Safety.Core.Stopping;

/// <summary>One missing or out-of-range parameter of a <see cref="BoundaryDesign"/>.</summary>
/// <param name="Field">The parameter at fault.</param>
/// <param name="Message">What is wrong, written to follow the parameter's name (e.g. "1.2 must lie strictly between 0 and 1.").</param>
public sealed record BoundaryProblem(BoundaryField Field, string Message);
