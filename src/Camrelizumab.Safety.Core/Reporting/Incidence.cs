using MathNet.Numerics.Distributions;

namespace Camrelizumab.Safety.Core.Reporting;

/// <summary>Exact (Clopper–Pearson) confidence intervals for a proportion.</summary>
public static class Incidence
{
    /// <summary>The two-sided 95% Clopper–Pearson interval for x events in n subjects.</summary>
    public static (double Low, double High) ClopperPearson(int events, int subjects, double level = 0.95)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(events);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(events, subjects);
        if (subjects == 0)
        {
            return (0, 1);
        }

        var tail = (1 - level) / 2;
        var low = events == 0 ? 0 : Beta.InvCDF(events, subjects - events + 1, tail);
        var high = events == subjects ? 1 : Beta.InvCDF(events + 1, subjects - events, 1 - tail);
        return (low, high);
    }
}
