namespace Camrelizumab.Safety.Core.Stopping.Families;

/// <summary>Maximized SPRT (Kulldorff et al. 2011), one-sided binomial.</summary>
internal sealed class MaxSprtFamily : CalibratedFamily
{
    public override BoundaryMethod Method => BoundaryMethod.MaxSprt;

    public override string Name => "maxsprt";

    protected override Func<int, int, double> Statistic(BoundaryDesign design) => (n, s) => LogLikelihoodRatio(n, s, design.P0);

    /// <summary>Kulldorff's one-sided binomial MaxSPRT log-likelihood ratio; stopping is impossible while S ≤ n p0.</summary>
    private static double LogLikelihoodRatio(int n, int s, decimal p0)
    {
        if (s - (n * p0) <= 0)
        {
            return double.NegativeInfinity;
        }

        var p = (double)p0;
        var llr = s * Math.Log(s / (n * p));
        if (s < n)
        {
            llr += (n - s) * Math.Log((n - s) / (n * (1 - p)));
        }

        return llr;
    }
}
