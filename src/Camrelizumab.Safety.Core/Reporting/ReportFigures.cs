using Camrelizumab.Safety.Core.AdverseEvents;
using Camrelizumab.Safety.Core.Aggregation;
using Camrelizumab.Safety.Core.Subjects;

namespace Camrelizumab.Safety.Core.Reporting;

/// <summary>The figures a report derives from subjects and events: exposure, deaths, time to first grade ≥3 TRAE.</summary>
internal static class ReportFigures
{
    /// <summary>Dosed subjects, median days since first dose, and person-years since first dose, as of the report date.</summary>
    public static (int Dosed, double MedianDays, double PersonYears) Exposure(IEnumerable<Subject> subjects, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(subjects);
        var days = subjects.Where(s => s.FirstDoseDate is { } d && d <= asOf).Select(s => (double)(asOf.DayNumber - s.FirstDoseDate!.Value.DayNumber)).Order().ToList();
        return (days.Count, TreatmentExposure.Median(days), days.Sum() / 365.25);
    }

    /// <summary>
    /// Days from first dose to the first grade ≥3 treatment-related AE (the earliest possible day of a partial onset
    /// date), censored at the report date. Subjects whose qualifying event has no onset date are left out and counted.
    /// </summary>
    public static (List<(double Days, bool Event)> Observations, int WithoutDate) TimeToFirstGrade3Trae(IEnumerable<Subject> subjects, ILookup<string, AdverseEvent> events, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(subjects);
        ArgumentNullException.ThrowIfNull(events);
        var observations = new List<(double, bool)>();
        var withoutDate = 0;
        foreach (var subject in subjects.Where(s => s.FirstDoseDate is { } d && d <= asOf))
        {
            var firstDose = subject.FirstDoseDate!.Value;
            var qualifying = events[subject.SubjectId].Where(e => e.Grade.Value >= 3 && e.IsTreatmentRelated).ToList();
            if (qualifying.Count == 0)
            {
                observations.Add((asOf.DayNumber - firstDose.DayNumber, false));
            }
            else if (qualifying.All(e => e.Onset is null))
            {
                withoutDate++;
            }
            else
            {
                var onset = qualifying.Where(e => e.Onset is not null).Min(e => e.Onset!.Value.Earliest);
                observations.Add((Math.Max(0, onset.DayNumber - firstDose.DayNumber), true));
            }
        }

        return (observations, withoutDate);
    }

    /// <summary>The summary of every subject together, for the open (pooled) report.</summary>
    public static SafetySummary Pooled(IReadOnlyCollection<Subject> subjects, IReadOnlyCollection<AdverseEvent> events)
    {
        ArgumentNullException.ThrowIfNull(subjects);
        var all = new TrialArm { Code = "ALL", Label = "All subjects" };
        return SafetySummary.Compute([all], [.. subjects.Select(s => s with { Arm = all.Code })], events);
    }
}
