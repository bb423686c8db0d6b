namespace Camrelizumab.Safety.Core.Stopping;

/// <summary>Binomial probabilities computed by repeated convolution, which adds only positive terms and so keeps full relative accuracy.</summary>
internal static class Binomial
{
    /// <summary>P(Bin(n, p) = s) for s = 0..n.</summary>
    public static double[] Pmf(int n, double p)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var q = 1 - p;
        var row = new double[n + 1];
        row[0] = 1;
        for (var m = 1; m <= n; m++)
        {
            row[m] = row[m - 1] * p;
            for (var s = m - 1; s >= 1; s--)
            {
                row[s] = (row[s] * q) + (row[s - 1] * p);
            }

            row[0] *= q;
        }

        return row;
    }

    /// <summary>Upper tails P(Bin(n, p) ≥ s) for s = 0..n+1, summed from the smallest terms up.</summary>
    public static double[] UpperTails(double[] pmf)
    {
        var tails = new double[pmf.Length + 1];
        for (var s = pmf.Length - 1; s >= 0; s--)
        {
            tails[s] = tails[s + 1] + pmf[s];
        }

        return tails;
    }
}
