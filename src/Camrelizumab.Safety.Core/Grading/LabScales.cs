namespace Camrelizumab.Safety.Core.Grading;

/// <summary>The few shapes every CTCAE v5.0 lab criterion is built from. Bands run worst first; the first band the
/// result reaches gives the grade. Only the values a decision needs are required: a platelet count of 20 x 10^9/L is
/// grade 4 whatever the LLN, while 90 needs the LLN to tell grade 1 from 0.</summary>
/// <remarks>All arithmetic is decimal and multiplies limits rather than dividing results, so "2.0 x baseline" is
/// decided exactly at its boundary.</remarks>
internal static class LabScales
{
    /// <summary>Fixed thresholds below which a grade applies; below the LLN (if given) is <paramref name="belowLowerLimit"/>.</summary>
    public static LabGrade Below(LabMeasurement m, LabBand[] bands, int? belowLowerLimit)
    {
        var value = m.Value!.Value;
        foreach (var band in bands)
        {
            if (band.IsBelow(value))
            {
                return LabGrade.Of(band.Grade);
            }
        }

        if (belowLowerLimit is not { } grade)
        {
            return LabGrade.Of(0);
        }

        return m.LowerLimit is not { } lln ? LabGrade.Missing("lower limit of normal (ANRLO)")
            : LabGrade.Of(value < lln ? grade : 0);
    }

    /// <summary>Fixed thresholds above which a grade applies; above the ULN (if given) is <paramref name="aboveUpperLimit"/>.</summary>
    public static LabGrade Above(decimal value, LabMeasurement m, LabBand[] bands, int? aboveUpperLimit)
    {
        foreach (var band in bands)
        {
            if (band.IsAbove(value))
            {
                return LabGrade.Of(band.Grade);
            }
        }

        if (aboveUpperLimit is not { } grade)
        {
            return LabGrade.Of(0);
        }

        return m.UpperLimit is not { } uln ? LabGrade.Missing("upper limit of normal (ANRHI)")
            : LabGrade.Of(value > uln ? grade : 0);
    }

    public static LabGrade Above(LabMeasurement m, LabBand[] bands, int? aboveUpperLimit) => Above(m.Value!.Value, m, bands, aboveUpperLimit);

    /// <summary>Multiples of the ULN ("&gt;3.0 - 5.0 x ULN"); anything above the ULN is at least <paramref name="aboveUpperLimit"/>.</summary>
    public static LabGrade TimesUpperLimit(LabMeasurement m, LabBand[] multiples, int aboveUpperLimit = 1)
    {
        if (m.UpperLimit is not { } uln)
        {
            return LabGrade.Missing("upper limit of normal (ANRHI)");
        }

        var value = m.Value!.Value;
        foreach (var band in multiples)
        {
            if (band.IsAbove(value, uln))
            {
                return LabGrade.Of(band.Grade);
            }
        }

        return LabGrade.Of(value > uln ? aboveUpperLimit : 0);
    }

    /// <summary>Multiples of the LLN ("&lt;0.75 - 0.5 x LLN"); anything below the LLN is at least <paramref name="belowLowerLimit"/>.</summary>
    public static LabGrade TimesLowerLimit(LabMeasurement m, LabBand[] multiples, int belowLowerLimit = 1)
    {
        if (m.LowerLimit is not { } lln)
        {
            return LabGrade.Missing("lower limit of normal (ANRLO)");
        }

        var value = m.Value!.Value;
        foreach (var band in multiples)
        {
            if (band.IsBelow(value, lln))
            {
                return LabGrade.Of(band.Grade);
            }
        }

        return LabGrade.Of(value < lln ? belowLowerLimit : 0);
    }

    /// <summary>Multiples of the subject's baseline ("&gt;3.0 - 5.0 x baseline"); below every band is grade 0.</summary>
    public static LabGrade TimesBaseline(LabMeasurement m, LabBand[] multiples)
    {
        if (m.Baseline is not { } baseline)
        {
            return LabGrade.Missing("baseline (BASE)");
        }

        var value = m.Value!.Value;
        foreach (var band in multiples)
        {
            if (band.IsAbove(value, baseline))
            {
                return LabGrade.Of(band.Grade);
            }
        }

        return LabGrade.Of(0);
    }

    /// <summary>CTCAE's "x ULN if baseline was normal; x baseline if baseline was abnormal" (ALT, AST, ALP, GGT, bilirubin).</summary>
    /// <remarks>The baseline is abnormal when BNRIND says HIGH (any spelling containing it, e.g. "HIGH HIGH"); NORMAL and
    /// LOW are normal for an increase criterion. Without BNRIND, a reported baseline above the ULN is abnormal.</remarks>
    public static LabGrade BaselineDependent(LabMeasurement m, LabBand[] normalBaseline, LabBand[] abnormalBaseline)
    {
        bool? abnormal = m.BaselineRange?.Trim().ToUpperInvariant() switch
        {
            null or "" => m.Baseline is { } b && m.UpperLimit is { } uln ? b > uln : null,
            "NORMAL" or "LOW" => false,
            var text when text.Contains("HIGH", StringComparison.Ordinal) => true,
            _ => null,
        };
        return abnormal switch
        {
            null => LabGrade.Missing("baseline range indicator (BNRIND)"),
            false => TimesUpperLimit(m, normalBaseline),
            true => TimesBaseline(m, abnormalBaseline),
        };
    }

    /// <summary>The worse of two gradings; not gradable if either is.</summary>
    public static LabGrade Worse(LabGrade first, LabGrade second) =>
        !first.IsGraded ? first : !second.IsGraded ? second : LabGrade.Of(Math.Max(first.Grade!.Value, second.Grade!.Value));
}
