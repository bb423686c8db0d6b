using System.Globalization;
using Camrelizumab.Safety.Core.Subjects;

namespace Camrelizumab.Safety.Core.Reporting;

/// <summary>Which study treatment an EX record is: camrelizumab, radiotherapy, or something else the export holds.</summary>
public enum StudyTreatment
{
    Camrelizumab,
    Radiotherapy,
    Other,
}

/// <summary>
/// The planned camrelizumab regimen that dose intensity is measured against: 200 mg every 2 weeks, the dose of ESCORT
/// (Huang J et al., Lancet Oncol 2020;21:832-842) in second-line esophageal squamous cell carcinoma.
/// </summary>
public sealed record PlannedRegimen(decimal DoseMg, int IntervalDays)
{
    public static PlannedRegimen Camrelizumab { get; } = new(200m, 14);
}

/// <summary>One subject's camrelizumab exposure from EX.</summary>
/// <param name="DurationDays">Last dose day − first dose day + 1 (the ADaM TRTDURD convention).</param>
/// <param name="CumulativeDoseMg">Sum of the doses given, in mg; <c>null</c> when a dose or its unit (mg) is missing.</param>
/// <param name="RelativeDoseIntensity">Cumulative dose / (planned dose × planned administrations from the first to the
/// last administration: (last − first) / interval + 1); 1.0 on schedule at full dose.</param>
internal sealed record DrugExposure(string SubjectId, int Administrations, DateOnly FirstDose, DateOnly LastDose, int DurationDays, decimal? CumulativeDoseMg, double? RelativeDoseIntensity);

/// <summary>One subject's radiotherapy from EX: fractions delivered and total dose in Gy (cGy converted).</summary>
/// <param name="TotalGy"><c>null</c> when a fraction's dose or unit (Gy, cGy) is missing.</param>
internal sealed record RadiotherapyDelivered(string SubjectId, int Fractions, decimal? TotalGy, DateOnly FirstFraction, DateOnly LastFraction);

/// <summary>Exposure figures from SDTM EX records: pure functions of the records and the planned regimen.</summary>
internal static class TreatmentExposure
{
    /// <summary>Below this relative dose intensity a subject is counted as under-dosed in the report (a common SAP threshold).</summary>
    public const double LowIntensity = 0.8;

    public static StudyTreatment Classify(ExposureRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var name = record.Treatment.Trim().ToUpperInvariant();
        if (name.Contains("CAMRELIZUMAB", StringComparison.Ordinal) || name.Replace("-", "", StringComparison.Ordinal).Contains("SHR1210", StringComparison.Ordinal)
            || name.Contains("AIRUIKA", StringComparison.Ordinal) || name.Contains("卡瑞利珠", StringComparison.Ordinal) || name.Contains("艾瑞卡", StringComparison.Ordinal))
        {
            return StudyTreatment.Camrelizumab;
        }

        var gray = record.Unit?.Trim().ToUpperInvariant() is "GY" or "CGY";
        return gray || name is "RT" or "IMRT" or "SBRT" || name.Contains("RADIO", StringComparison.Ordinal) || name.Contains("RADIATION", StringComparison.Ordinal)
            || name.Contains("放疗", StringComparison.Ordinal) || name.Contains("放射", StringComparison.Ordinal)
            ? StudyTreatment.Radiotherapy
            : StudyTreatment.Other;
    }

    /// <summary>
    /// Administrations a record stands for: 0 when its dose is 0 (a dose recorded as not given), the days it spans times
    /// the daily count for QD/BID/TID, else 1.
    /// </summary>
    public static int Administrations(ExposureRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Dose == 0)
        {
            return 0;
        }

        var perDay = record.Frequency?.Trim().ToUpperInvariant() switch { "QD" or "DAILY" => 1, "BID" => 2, "TID" => 3, _ => 0 };
        return perDay == 0 ? 1 : perDay * (record.LastDay.DayNumber - record.Start.DayNumber + 1);
    }

    /// <summary>Camrelizumab exposure per subject with at least one administration, in subject order.</summary>
    public static IReadOnlyList<DrugExposure> Camrelizumab(IEnumerable<ExposureRecord> records, PlannedRegimen regimen)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(regimen);
        var result = new List<DrugExposure>();
        foreach (var subject in records.Where(r => Classify(r) == StudyTreatment.Camrelizumab && Administrations(r) > 0).GroupBy(r => r.SubjectId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var given = subject.ToList();
            var first = given.Min(r => r.Start);
            var lastStart = given.Max(r => r.Start);
            var last = given.Max(r => r.LastDay);
            var administrations = given.Sum(Administrations);
            decimal? cumulative = given.All(r => r.Dose is not null && string.Equals(r.Unit?.Trim(), "mg", StringComparison.OrdinalIgnoreCase))
                ? given.Sum(r => r.Dose!.Value * Administrations(r))
                : null;
            var planned = ((double)(lastStart.DayNumber - first.DayNumber) / regimen.IntervalDays) + 1;
            double? intensity = cumulative is { } mg ? (double)mg / ((double)regimen.DoseMg * planned) : null;
            result.Add(new DrugExposure(subject.Key, administrations, first, last, last.DayNumber - first.DayNumber + 1, cumulative, intensity));
        }

        return result;
    }

    /// <summary>Radiotherapy delivered per subject with at least one fraction, in subject order.</summary>
    public static IReadOnlyList<RadiotherapyDelivered> Radiotherapy(IEnumerable<ExposureRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var result = new List<RadiotherapyDelivered>();
        foreach (var subject in records.Where(r => Classify(r) == StudyTreatment.Radiotherapy && Administrations(r) > 0).GroupBy(r => r.SubjectId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var given = subject.ToList();
            decimal? total = 0;
            foreach (var r in given)
            {
                var perFraction = r.Unit?.Trim().ToUpperInvariant() switch { "GY" => r.Dose, "CGY" => r.Dose / 100, _ => null };
                total = perFraction is { } gy && total is { } sum ? sum + (gy * Administrations(r)) : null;
            }

            result.Add(new RadiotherapyDelivered(subject.Key, given.Sum(Administrations), total, given.Min(r => r.Start), given.Max(r => r.LastDay)));
        }

        return result;
    }

    /// <summary>The last day any study treatment (camrelizumab or radiotherapy) was given on or before a date; <c>null</c> when none was.</summary>
    public static DateOnly? LastDoseOnOrBefore(IEnumerable<ExposureRecord> subjectRecords, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(subjectRecords);
        DateOnly? last = null;
        foreach (var r in subjectRecords.Where(r => Classify(r) != StudyTreatment.Other && Administrations(r) > 0 && r.Start <= date))
        {
            var day = r.LastDay < date ? r.LastDay : date;
            last = last is { } l && l >= day ? l : day;
        }

        return last;
    }

    /// <summary>"median (min–max)" of the values, or "–" when there are none.</summary>
    public static string MedianRange(IEnumerable<double> values, string format)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return "–";
        }

        var median = Median(sorted);
        return string.Create(CultureInfo.InvariantCulture, $"{median.ToString(format, CultureInfo.InvariantCulture)} ({sorted[0].ToString(format, CultureInfo.InvariantCulture)}–{sorted[^1].ToString(format, CultureInfo.InvariantCulture)})");
    }

    /// <summary>The median of values already sorted ascending; 0 when there are none.</summary>
    internal static double Median(IReadOnlyList<double> sorted)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        return sorted.Count == 0 ? 0 : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
