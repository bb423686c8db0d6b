namespace Camrelizumab.Safety.Core.Stopping;

/// <summary>
/// Gauss–Legendre nodes and weights on [−1, 1], found by Newton's method on the Legendre recurrence. An m-point rule
/// integrates polynomials of degree 2m − 1 exactly (up to rounding).
/// </summary>
internal static class GaussLegendre
{
    private static readonly Dictionary<int, (double[] Nodes, double[] Weights)> Cache = [];
    private static readonly Lock Gate = new();

    public static (double[] Nodes, double[] Weights) Rule(int points)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(points, 1);
        lock (Gate)
        {
            if (Cache.TryGetValue(points, out var cached))
            {
                return cached;
            }

            var nodes = new double[points];
            var weights = new double[points];
            for (var i = 0; i < (points + 1) / 2; i++)
            {
                // Chebyshev-like first guess for the i-th largest root, then Newton.
                var x = Math.Cos(Math.PI * (i + 0.75) / (points + 0.5));
                double derivative = 0;
                for (var iteration = 0; iteration < 100; iteration++)
                {
                    double p0 = 1, p1 = x;
                    for (var k = 2; k <= points; k++)
                    {
                        var pk = (((2 * k) - 1) * x * p1 - ((k - 1) * p0)) / k;
                        p0 = p1;
                        p1 = pk;
                    }

                    var p = points == 1 ? x : p1;
                    var previous = points == 1 ? 1 : p0;
                    derivative = points * ((x * p) - previous) / ((x * x) - 1);
                    var step = p / derivative;
                    x -= step;
                    if (Math.Abs(step) < 1e-16)
                    {
                        break;
                    }
                }

                nodes[i] = -x;
                nodes[points - 1 - i] = x;
                weights[i] = weights[points - 1 - i] = 2 / ((1 - (x * x)) * derivative * derivative);
            }

            Cache[points] = (nodes, weights);
            return (nodes, weights);
        }
    }

    public static double Integrate(Func<double, double> f, double from, double to, int points)
    {
        var (nodes, weights) = Rule(points);
        var half = (to - from) / 2;
        var middle = (to + from) / 2;
        var sum = 0.0;
        for (var i = 0; i < nodes.Length; i++)
        {
            sum += weights[i] * f(middle + (half * nodes[i]));
        }

        return sum * half;
    }
}
