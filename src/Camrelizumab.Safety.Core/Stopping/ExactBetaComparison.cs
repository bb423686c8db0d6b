using System.Numerics;

namespace Camrelizumab.Safety.Core.Stopping;

/// <summary>
/// P(X &gt; Y + δ) in exact rational arithmetic for integer Beta parameters and decimal δ: the integrand
/// f_Y(y) S_X(y + δ) is then a polynomial with rational coefficients (docs/stopping-rules.md §2, the exact check).
/// Used to settle decisions within 1e-9 of the threshold, such as P = 9/10 exactly at n = 7, y_c = 2, y_m = 0.
/// </summary>
internal static class ExactBetaComparison
{
    public static Rational Probability(int ax, int bx, int ay, int by, decimal delta)
    {
        var d = Rational.From(delta);
        var m = ax + bx - 1;

        // S_X(y + δ) = Σ_{j<a_X} C(m, j) (y + δ)^j (1 − δ − y)^(m−j).
        var survival = new Rational[] { Rational.Zero };
        for (var j = 0; j < ax; j++)
        {
            var term = Multiply([new Rational(Choose(m, j), 1)], Power([d, Rational.One], j));
            term = Multiply(term, Power([Rational.One - d, -Rational.One], m - j));
            survival = Add(survival, term);
        }

        // f_Y(y) = y^(a_Y−1) (1 − y)^(b_Y−1) (a_Y + b_Y − 1)! / ((a_Y − 1)! (b_Y − 1)!).
        var density = Multiply(Power([Rational.Zero, Rational.One], ay - 1), Power([Rational.One, -Rational.One], by - 1));
        var norm = new Rational(Factorial(ay + by - 1), Factorial(ay - 1) * Factorial(by - 1));
        var lower = delta < 0 ? -d : Rational.Zero;
        var upper = delta > 0 ? Rational.One - d : Rational.One;
        var total = Integrate(Multiply(density, survival), lower, upper) * norm;
        if (delta < 0)
        {
            total += Integrate(density, Rational.Zero, lower) * norm;
        }

        return total;
    }

    private static Rational[] Add(Rational[] a, Rational[] b)
    {
        var result = new Rational[Math.Max(a.Length, b.Length)];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = (i < a.Length ? a[i] : Rational.Zero) + (i < b.Length ? b[i] : Rational.Zero);
        }

        return result;
    }

    private static Rational[] Multiply(Rational[] a, Rational[] b)
    {
        var result = Enumerable.Repeat(Rational.Zero, a.Length + b.Length - 1).ToArray();
        for (var i = 0; i < a.Length; i++)
        {
            for (var j = 0; j < b.Length; j++)
            {
                result[i + j] += a[i] * b[j];
            }
        }

        return result;
    }

    private static Rational[] Power(Rational[] p, int k)
    {
        Rational[] result = [Rational.One];
        for (var i = 0; i < k; i++)
        {
            result = Multiply(result, p);
        }

        return result;
    }

    private static Rational Integrate(Rational[] p, Rational from, Rational to)
    {
        var total = Rational.Zero;
        for (var i = 0; i < p.Length; i++)
        {
            total += p[i] / new Rational(i + 1, 1) * (to.Pow(i + 1) - from.Pow(i + 1));
        }

        return total;
    }

    private static BigInteger Choose(int n, int k) => Factorial(n) / (Factorial(k) * Factorial(n - k));

    private static BigInteger Factorial(int n)
    {
        var result = BigInteger.One;
        for (var i = 2; i <= n; i++)
        {
            result *= i;
        }

        return result;
    }
}
