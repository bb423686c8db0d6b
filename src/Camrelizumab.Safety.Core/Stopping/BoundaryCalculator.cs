namespace Camrelizumab.Safety.Core.Stopping;

/// <summary>Computes the boundary of any <see cref="BoundaryDesign"/>, following docs/stopping-rules.md §2–§6.</summary>
public static class BoundaryCalculator
{
    public static StoppingBoundary Compute(BoundaryDesign design)
    {
        ArgumentNullException.ThrowIfNull(design);
        var problems = design.Problems();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems.Select(p => $"{p.Field}: {p.Message}")), nameof(design));
        }

        return BoundaryFamilies.Of(design.Method).Compute(design);
    }
}
