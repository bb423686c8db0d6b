namespace Camrelizumab.Safety.Core.Stopping.Families;

/// <summary>
/// One boundary family of docs/stopping-rules.md §2: its name in the rules file and on the command line, the parameters it
/// needs, and how its boundary is computed. A new family is a subclass registered in <see cref="BoundaryFamilies"/>.
/// </summary>
internal abstract class BoundaryFamily
{
    public abstract BoundaryMethod Method { get; }

    /// <summary>The name used in the rules file, on the command line, in alerts and in stored evaluations.</summary>
    public abstract string Name { get; }

    /// <summary>The family's own parameter problems; the shared ranges (p0, α, looks, prior, p1, β) are checked by the design.</summary>
    public virtual IEnumerable<BoundaryProblem> Problems(BoundaryDesign design) => [];

    /// <summary>The boundary of a design whose <see cref="BoundaryDesign.Problems"/> are empty.</summary>
    public abstract StoppingBoundary Compute(BoundaryDesign design);

    /// <summary>p1 is the alternative rate, above p0 (SPRT, Wald SPRT, Chen–Chaloner).</summary>
    protected IEnumerable<BoundaryProblem> AlternativeAboveP0(BoundaryDesign design)
    {
        ArgumentNullException.ThrowIfNull(design);
        if (design.P1 is not { } p1)
        {
            yield return new BoundaryProblem(BoundaryField.P1, $"is required for the {Name} family.");
        }
        else if (p1 <= design.P0)
        {
            yield return new BoundaryProblem(BoundaryField.P1, $"{p1} must be above p0 ({design.P0}).");
        }
    }
}
