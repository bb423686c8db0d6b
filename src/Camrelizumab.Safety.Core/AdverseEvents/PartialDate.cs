using System.Globalization;

namespace Camrelizumab.Safety.Core.AdverseEvents;

/// <summary>
/// An ISO 8601 calendar date that may be partial (<c>2024</c>, <c>2024-03</c>, <c>2024-03-15</c>), as SDTM --DTC
/// variables allow. It is kept as given; imputation happens only where a rule needs a full date and says how.
/// </summary>
public readonly record struct PartialDate
{
    public PartialDate(int year, int? month = null, int? day = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(year, 1900);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(year, 2200);
        if (month is { } m)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(m, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(m, 12);
            if (day is { } d)
            {
                ArgumentOutOfRangeException.ThrowIfLessThan(d, 1);
                ArgumentOutOfRangeException.ThrowIfGreaterThan(d, DateTime.DaysInMonth(year, m));
            }
        }
        else if (day is not null)
        {
            throw new ArgumentException("A day needs a month.", nameof(day));
        }

        Year = year;
        Month = month;
        Day = day;
    }

    public int Year { get; }

    public int? Month { get; }

    public int? Day { get; }

    public bool IsComplete => Day is not null;

    /// <summary>The first day the partial date can mean (2024-03 → 2024-03-01).</summary>
    public DateOnly Earliest => new(Year, Month ?? 1, Day ?? 1);

    /// <summary>The last day the partial date can mean (2024-02 → 2024-02-29).</summary>
    public DateOnly Latest => Month is { } m ? new(Year, m, Day ?? DateTime.DaysInMonth(Year, m)) : new(Year, 12, 31);

    public static PartialDate From(DateOnly date) => new(date.Year, date.Month, date.Day);

    /// <summary>
    /// Parses ISO 8601 <c>YYYY</c>, <c>YYYY-MM</c> or <c>YYYY-MM-DD</c>, ignoring any time part after <c>T</c>.
    /// </summary>
    public static bool TryParse(string? text, out PartialDate date)
    {
        date = default;
        var span = text.AsSpan().Trim();
        var t = span.IndexOf('T');
        if (t >= 0)
        {
            span = span[..t];
        }

        int year;
        int? month = null;
        int? day = null;
        switch (span.Length)
        {
            case 4:
                if (!TryDigits(span, out year))
                {
                    return false;
                }

                break;
            case 7 when span[4] == '-':
                if (!TryDigits(span[..4], out year) || !TryDigits(span[5..7], out var m7))
                {
                    return false;
                }

                month = m7;
                break;
            case 10 when span[4] == '-' && span[7] == '-':
                if (!TryDigits(span[..4], out year) || !TryDigits(span[5..7], out var m10) || !TryDigits(span[8..10], out var d10))
                {
                    return false;
                }

                month = m10;
                day = d10;
                break;
            default:
                return false;
        }

        if (year is < 1900 or > 2200 || month is < 1 or > 12 || (day is { } dd && (dd < 1 || dd > DateTime.DaysInMonth(year, month!.Value))))
        {
            return false;
        }

        date = new PartialDate(year, month, day);
        return true;
    }

    public override string ToString() => (Month, Day) switch
    {
        (null, _) => Year.ToString("D4", CultureInfo.InvariantCulture),
        ({ } m, null) => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{m:D2}"),
        ({ } m, { } d) => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{m:D2}-{d:D2}"),
    };

    private static bool TryDigits(ReadOnlySpan<char> span, out int value) =>
        int.TryParse(span, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
