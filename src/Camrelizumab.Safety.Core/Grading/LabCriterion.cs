namespace Camrelizumab.Safety.Core.Grading;

/// <summary>How one CTCAE v5.0 lab term is graded from a result, in one unit system.</summary>
public sealed class LabCriterion
{
    private readonly Dictionary<string, decimal> _units;
    private readonly Func<LabMeasurement, LabGrade> _grade;

    internal LabCriterion(string term, string ctcaeTerm, LabDirection direction, IEnumerable<(string Unit, decimal Factor)> units, string criteria, Func<LabMeasurement, LabGrade> grade)
    {
        Term = term;
        CtcaeTerm = ctcaeTerm;
        Direction = direction;
        _units = units.ToDictionary(u => u.Unit, u => u.Factor, StringComparer.OrdinalIgnoreCase);
        Criteria = criteria;
        _grade = grade;
    }

    /// <summary>The criterion's name; the CTCAE term, except that corrected and ionized calcium are separate criteria.</summary>
    public string Term { get; }

    /// <summary>The CTCAE v5.0 term an abnormal result is coded to.</summary>
    public string CtcaeTerm { get; }

    public LabDirection Direction { get; }

    /// <summary>Units the result may be reported in (any case). Empty when the criterion compares the result only with its
    /// own limits or baseline, so no unit is needed.</summary>
    public IReadOnlyCollection<string> Units => _units.Keys;

    /// <summary>The CTCAE v5.0 grade 1–4 thresholds this criterion applies, and any worst-case assumption.</summary>
    public string Criteria { get; }

    /// <summary>Grades <paramref name="measurement"/>: converts a legacy unit, then applies the thresholds.</summary>
    public LabGrade Grade(LabMeasurement measurement)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        if (measurement.Value is null)
        {
            return LabGrade.Missing("result value (AVAL)");
        }

        var factor = 1m;
        if (_units.Count > 0)
        {
            var expected = string.Join(" or ", _units.Keys);
            if (string.IsNullOrWhiteSpace(measurement.Unit))
            {
                return LabGrade.Missing($"unit (AVALU); the criterion needs {expected}");
            }

            if (!_units.TryGetValue(measurement.Unit.Trim(), out factor))
            {
                return LabGrade.Missing($"unit '{measurement.Unit.Trim()}' is not {expected}");
            }
        }

        return _grade(measurement.Scaled(factor));
    }

    public override string ToString() => Term;
}
