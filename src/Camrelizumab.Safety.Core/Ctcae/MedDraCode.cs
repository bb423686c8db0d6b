using System.Globalization;

namespace Camrelizumab.Safety.Core.Ctcae;

/// <summary>An 8-digit MedDRA code (CTCAE v5.0 terms are MedDRA Lowest Level Terms).</summary>
public readonly record struct MedDraCode
{
    public MedDraCode(int value)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, 10_000_000);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 99_999_999);
        Value = value;
    }

    public int Value { get; }

    /// <summary>Parses 8 digits, tolerating surrounding spaces and a trailing <c>.0</c> from spreadsheet exports.</summary>
    public static bool TryParse(string? text, out MedDraCode code)
    {
        code = default;
        var span = text.AsSpan().Trim();
        if (span.EndsWith(".0", StringComparison.Ordinal))
        {
            span = span[..^2];
        }

        if (span.Length != 8 || !int.TryParse(span, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 10_000_000)
        {
            return false;
        }

        code = new MedDraCode(value);
        return true;
    }

    public override string ToString() => Value.ToString("D8", CultureInfo.InvariantCulture);
}
