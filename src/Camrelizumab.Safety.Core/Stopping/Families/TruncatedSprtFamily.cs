namespace Camrelizumab.Safety.Core.Stopping.Families;

/// <summary>Truncated SPRT: the log-likelihood ratio of p1 against p0 ≥ c.</summary>
internal sealed class TruncatedSprtFamily : CalibratedFamily
{
    public override BoundaryMethod Method => BoundaryMethod.TruncatedSprt;

    public override string Name => "sprt";

    public override IEnumerable<BoundaryProblem> Problems(BoundaryDesign design) => AlternativeAboveP0(design);

    protected override Func<int, int, double> Statistic(BoundaryDesign design)
    {
        var (p0, p1) = ((double)design.P0, (double)design.P1!.Value);

        // s log(p1/p0) + (n − s) log(q1/q0) = s log(p1 q0 / (p0 q1)) − n log(q0/q1).
        var slope = Math.Log(p1 * (1 - p0) / (p0 * (1 - p1)));
        var drift = Math.Log((1 - p0) / (1 - p1));
        return (n, s) => (s * slope) - (n * drift);
    }
}
