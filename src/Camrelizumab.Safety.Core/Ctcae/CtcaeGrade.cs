using System.Globalization;

namespace Camrelizumab.Safety.Core.Ctcae;

/// <summary>A CTCAE v5.0 grade, 1 (mild) to 5 (death related to the AE).</summary>
/// <remarks>CTCAE v5.0 defines exactly these five grades; "grade 0" is not an AE grade and is refused.</remarks>
public readonly record struct CtcaeGrade : IComparable<CtcaeGrade>
{
    public CtcaeGrade(int value)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 5);
        Value = value;
    }

    public int Value { get; }

    /// <summary>Parses "3", "3.0", "Grade 3" or "G3" (any case, surrounding spaces allowed).</summary>
    public static bool TryParse(string? text, out CtcaeGrade grade)
    {
        grade = default;
        var span = text.AsSpan().Trim();
        if (span.StartsWith("grade", StringComparison.OrdinalIgnoreCase))
        {
            span = span[5..].TrimStart();
        }
        else if (span.Length == 2 && (span[0] is 'G' or 'g'))
        {
            span = span[1..];
        }

        if (span.EndsWith(".0", StringComparison.Ordinal))
        {
            span = span[..^2];
        }

        if (!int.TryParse(span, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value is < 1 or > 5)
        {
            return false;
        }

        grade = new CtcaeGrade(value);
        return true;
    }

    public int CompareTo(CtcaeGrade other) => Value.CompareTo(other.Value);

    public static bool operator <(CtcaeGrade left, CtcaeGrade right) => left.Value < right.Value;

    public static bool operator >(CtcaeGrade left, CtcaeGrade right) => left.Value > right.Value;

    public static bool operator <=(CtcaeGrade left, CtcaeGrade right) => left.Value <= right.Value;

    public static bool operator >=(CtcaeGrade left, CtcaeGrade right) => left.Value >= right.Value;

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
