namespace Camrelizumab.Safety.Core.Stopping;

/// <summary>A parameter of a <see cref="BoundaryDesign"/>, named by each caller in its own words (a flag, a rules-file field).</summary>
public enum BoundaryField
{
    Method,
    P0,
    Alpha,
    Looks,
    Prior,
    P1,
    Delta,
    Nu,
    Threshold,
    Beta,
}
