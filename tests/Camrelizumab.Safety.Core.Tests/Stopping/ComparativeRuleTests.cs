using System.Numerics;
using Camrelizumab.Safety.Core.Stopping;

namespace Camrelizumab.Safety.Core.Tests.Stopping;

public sealed class ComparativeRuleTests
{
    [Theory]
    [InlineData(0, 10, 0, 10)]
    [InlineData(3, 10, 1, 12)]
    [InlineData(7, 20, 2, 20)]
    [InlineData(15, 40, 9, 40)]
    [InlineData(0, 5, 5, 5)]
    public void Probability_DeltaZero_AgreesWithClosedForm(int yc, int nc, int ym, int nm)
    {
        // docs/stopping-rules.md §2, integer parameters and δ = 0.
        var quadrature = ComparativeRule.Probability(yc, nc, ym, nm, 0, (1, 1));
        var closed = ComparativeRule.ProbabilityClosedForm(yc, nc, ym, nm, (1, 1));

        Assert.Equal(closed, quadrature, 1e-12);
    }

    [Theory]
    [InlineData(3, 10, 1, 10, 1, 10)]
    [InlineData(6, 12, 2, 12, 1, 5)]
    [InlineData(2, 8, 4, 8, -1, 5)]
    [InlineData(9, 20, 4, 20, 3, 20)]
    public void Probability_RationalDelta_AgreesWithExactRationalIntegral(int yc, int nc, int ym, int nm, int deltaNumerator, int deltaDenominator)
    {
        // The exact check of §2: with integer parameters the integrand is a polynomial, integrated here in rationals.
        var delta = (double)deltaNumerator / deltaDenominator;

        var exact = ExactRational.ProbabilityCombExceedsMonoByDelta(1 + yc, 1 + nc - yc, 1 + ym, 1 + nm - ym, deltaNumerator, deltaDenominator);

        Assert.Equal(exact, ComparativeRule.Probability(yc, nc, ym, nm, delta, (1, 1)), 1e-12);
    }

    [Theory]
    // §6 two-arm comparative rule: Beta(1,1) priors, c = 0.9, N = 20 per arm, looks in lock-step.
    [InlineData(0.0, 0.2, 0.2, 0.248)]
    [InlineData(0.0, 0.4, 0.2, 0.722)]
    [InlineData(0.1, 0.2, 0.2, 0.083)]
    [InlineData(0.1, 0.4, 0.2, 0.461)]
    public void StopProbability_MatchesDocTable(double delta, double pCombo, double pMono, double expected)
    {
        var stop = ComparativeRule.StopProbability(20, pCombo, pMono, (decimal)delta, 0.9m, (1, 1));

        Assert.Equal(expected, Math.Round(stop, 3), 1e-12);
    }

    [Fact]
    public void Exceeds_ExactTieAtThreshold_IsNotAboveIt()
    {
        // n = 7: y_c = 2 against y_m = 0 gives P(p_combo > p_mono) = 9/10 exactly; doubles say 0.9000000000000431.
        Assert.Equal(0.9, ComparativeRule.Probability(2, 7, 0, 7, 0, (1, 1)), 1e-12);
        Assert.False(ComparativeRule.Exceeds(2, 7, 0, 7, 0m, 0.9m, (1, 1)));
        Assert.True(ComparativeRule.Exceeds(2, 7, 0, 7, 0m, 0.89m, (1, 1)));
    }

    [Fact]
    public void Probability_NonIntegerPrior_IsBetweenNeighbouringIntegerPriors()
    {
        var jeffreys = ComparativeRule.Probability(4, 10, 1, 10, 0.05, (0.5, 0.5));

        Assert.InRange(jeffreys, ComparativeRule.Probability(4, 10, 1, 10, 0.05, (1, 1)) - 0.05, ComparativeRule.Probability(4, 10, 1, 10, 0.05, (1, 1)) + 0.05);
        Assert.InRange(jeffreys, 0, 1);
    }

    /// <summary>Exact rational evaluation of P(X &gt; Y + δ) for integer Beta parameters and rational δ.</summary>
    private static class ExactRational
    {
        public static double ProbabilityCombExceedsMonoByDelta(int ax, int bx, int ay, int by, int dn, int dd)
        {
            // Polynomials in y with rational coefficients (numerators over a common BigInteger denominator per term).
            var m = ax + bx - 1;
            var d = new Fraction(dn, dd);

            // S_X(t) = Σ_{j<ax} C(m,j) t^j (1−t)^(m−j), as a polynomial in y after t = y + δ.
            var sx = Poly.Zero;
            for (var j = 0; j < ax; j++)
            {
                var term = Poly.Constant(new Fraction(Choose(m, j), 1));
                term *= Poly.Pow(new Poly([d, Fraction.One]), j);
                term *= Poly.Pow(new Poly([Fraction.One - d, -Fraction.One]), m - j);
                sx += term;
            }

            // f_Y(y) ∝ y^(ay−1) (1−y)^(by−1), normalised by 1/B(ay, by) = (ay+by−1)! / ((ay−1)! (by−1)!).
            var fy = Poly.Pow(new Poly([Fraction.Zero, Fraction.One]), ay - 1) * Poly.Pow(new Poly([Fraction.One, -Fraction.One]), by - 1);
            var norm = new Fraction(Factorial(ay + by - 1), Factorial(ay - 1) * Factorial(by - 1));
            var lower = dn < 0 ? -d : Fraction.Zero;
            var upper = dn > 0 ? Fraction.One - d : Fraction.One;
            var total = (fy * sx).Integrate(lower, upper) * norm;
            if (dn < 0)
            {
                total += fy.Integrate(Fraction.Zero, lower) * norm;
            }

            return total.ToDouble();
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

    private readonly record struct Fraction
    {
        public Fraction(BigInteger numerator, BigInteger denominator)
        {
            if (denominator.Sign < 0)
            {
                numerator = -numerator;
                denominator = -denominator;
            }

            var g = BigInteger.GreatestCommonDivisor(numerator, denominator);
            Numerator = g.IsZero ? numerator : numerator / g;
            Denominator = g.IsZero ? denominator : denominator / g;
        }

        public BigInteger Numerator { get; }

        public BigInteger Denominator { get; }

        public static Fraction Zero => new(0, 1);

        public static Fraction One => new(1, 1);

        public static Fraction operator +(Fraction a, Fraction b) => new((a.Numerator * b.Denominator) + (b.Numerator * a.Denominator), a.Denominator * b.Denominator);

        public static Fraction operator -(Fraction a, Fraction b) => a + (-b);

        public static Fraction operator -(Fraction a) => new(-a.Numerator, a.Denominator);

        public static Fraction operator *(Fraction a, Fraction b) => new(a.Numerator * b.Numerator, a.Denominator * b.Denominator);

        public static Fraction operator /(Fraction a, Fraction b) => new(a.Numerator * b.Denominator, a.Denominator * b.Numerator);

        public Fraction Pow(int k)
        {
            var result = One;
            for (var i = 0; i < k; i++)
            {
                result *= this;
            }

            return result;
        }

        public double ToDouble() => (double)(Numerator * BigInteger.Pow(10, 40) / Denominator) / 1e40;
    }

    private sealed class Poly(Fraction[] coefficients)
    {
        public Fraction[] Coefficients { get; } = coefficients;

        public static Poly Zero => new([Fraction.Zero]);

        public static Poly Constant(Fraction c) => new([c]);

        public static Poly operator +(Poly a, Poly b)
        {
            var result = new Fraction[Math.Max(a.Coefficients.Length, b.Coefficients.Length)];
            for (var i = 0; i < result.Length; i++)
            {
                result[i] = (i < a.Coefficients.Length ? a.Coefficients[i] : Fraction.Zero) + (i < b.Coefficients.Length ? b.Coefficients[i] : Fraction.Zero);
            }

            return new Poly(result);
        }

        public static Poly operator *(Poly a, Poly b)
        {
            var result = Enumerable.Repeat(Fraction.Zero, a.Coefficients.Length + b.Coefficients.Length - 1).ToArray();
            for (var i = 0; i < a.Coefficients.Length; i++)
            {
                for (var j = 0; j < b.Coefficients.Length; j++)
                {
                    result[i + j] += a.Coefficients[i] * b.Coefficients[j];
                }
            }

            return new Poly(result);
        }

        public static Poly Pow(Poly p, int k)
        {
            var result = Constant(Fraction.One);
            for (var i = 0; i < k; i++)
            {
                result *= p;
            }

            return result;
        }

        public Fraction Integrate(Fraction from, Fraction to)
        {
            var total = Fraction.Zero;
            for (var i = 0; i < Coefficients.Length; i++)
            {
                var c = Coefficients[i] / new Fraction(i + 1, 1);
                total += c * (to.Pow(i + 1) - from.Pow(i + 1));
            }

            return total;
        }
    }
}
