using System.Numerics;

namespace Camrelizumab.Safety.Core.Stopping;

/// <summary>An exact fraction, for the few decisions that sit on a tie doubles cannot settle.</summary>
internal readonly record struct Rational
{
    public Rational(BigInteger numerator, BigInteger denominator)
    {
        if (denominator.IsZero)
        {
            throw new DivideByZeroException();
        }

        if (denominator.Sign < 0)
        {
            numerator = -numerator;
            denominator = -denominator;
        }

        var divisor = BigInteger.GreatestCommonDivisor(numerator, denominator);
        Numerator = divisor.IsOne || divisor.IsZero ? numerator : numerator / divisor;
        Denominator = divisor.IsOne || divisor.IsZero ? denominator : denominator / divisor;
    }

    public BigInteger Numerator { get; }

    public BigInteger Denominator { get; }

    public static Rational Zero { get; } = new(0, 1);

    public static Rational One { get; } = new(1, 1);

    public static Rational From(decimal value)
    {
        var scale = value.Scale;
        return new Rational(new BigInteger(value * (decimal)Math.Pow(10, scale)), BigInteger.Pow(10, scale));
    }

    public static Rational operator +(Rational a, Rational b) => new((a.Numerator * b.Denominator) + (b.Numerator * a.Denominator), a.Denominator * b.Denominator);

    public static Rational operator -(Rational a, Rational b) => new((a.Numerator * b.Denominator) - (b.Numerator * a.Denominator), a.Denominator * b.Denominator);

    public static Rational operator -(Rational a) => new(-a.Numerator, a.Denominator);

    public static Rational operator *(Rational a, Rational b) => new(a.Numerator * b.Numerator, a.Denominator * b.Denominator);

    public static Rational operator /(Rational a, Rational b) => new(a.Numerator * b.Denominator, a.Denominator * b.Numerator);

    public static bool operator >(Rational a, Rational b) => a.Numerator * b.Denominator > b.Numerator * a.Denominator;

    public static bool operator <(Rational a, Rational b) => a.Numerator * b.Denominator < b.Numerator * a.Denominator;

    public static bool operator >=(Rational a, Rational b) => !(a < b);

    public static bool operator <=(Rational a, Rational b) => !(a > b);

    public Rational Pow(int k)
    {
        return new Rational(BigInteger.Pow(Numerator, k), BigInteger.Pow(Denominator, k));
    }
}
