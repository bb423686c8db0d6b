using System.Globalization;
using Camrelizumab.Safety.Core.Text;

namespace Camrelizumab.Safety.Core.Reporting;

/// <summary>The report tables as CSV files beside the HTML (formula injection neutralized by <see cref="CsvWriter"/>).</summary>
public static class DsmbTables
{
    /// <summary>File name → CSV text. Closed: by arm, with rule status. Open: pooled, no rules.</summary>
    public static IReadOnlyDictionary<string, string> Render(DsmbReportInput input, bool closed)
    {
        ArgumentNullException.ThrowIfNull(input);
        var arms = closed ? input.Summary.Arms : ReportFigures.Pooled(input.Subjects, input.Events).Arms;
        var tables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["overview.csv"] = Csv(w =>
            {
                w.WriteRow(["arm", "row", "subjects", "denominator", "percent", "ci95_low", "ci95_high"]);
                foreach (var arm in arms)
                {
                    foreach (var (label, count) in DsmbReport.OverviewRows(open: !closed))
                    {
                        var n = count(arm);
                        var (low, high) = Incidence.ClopperPearson(n, arm.DosedSubjects);
                        w.WriteRow([arm.ArmLabel, label, I(n), I(arm.DosedSubjects), P(arm.DosedSubjects == 0 ? 0 : 100.0 * n / arm.DosedSubjects), P(100 * low), P(100 * high)]);
                    }
                }
            }),
            ["terms.csv"] = Csv(w =>
            {
                w.WriteRow(["arm", "soc", "term", "subjects", "grade1", "grade2", "grade3", "grade4", "grade5"]);
                foreach (var arm in arms)
                {
                    foreach (var t in arm.Terms)
                    {
                        w.WriteRow([arm.ArmLabel, t.Soc, t.Name, I(t.Subjects), .. t.SubjectsByWorstGrade.Select(I)]);
                    }
                }
            }),
            ["aesi.csv"] = Csv(w =>
            {
                w.WriteRow(["arm", "group", "category", "subjects", "grade3_or_worse"]);
                foreach (var arm in arms)
                {
                    foreach (var c in arm.SpecialInterest.Where(c => DsmbReport.SpecialInterestShown(open: !closed).Contains(c.Name)))
                    {
                        w.WriteRow([arm.ArmLabel, c.Soc, c.Name, I(c.Subjects), I(c.SubjectsGrade3OrWorse)]);
                    }
                }
            }),
        };
        IReadOnlyList<(string Label, IReadOnlyCollection<Subjects.Subject> Subjects)> groups = closed
            ? [.. input.Summary.Arms.Select(a => (a.ArmLabel, (IReadOnlyCollection<Subjects.Subject>)[.. input.Subjects.Where(s => s.Arm == a.Arm)]))]
            : [("All subjects", [.. input.Subjects])];
        if (input.Exposures.Count > 0)
        {
            tables["exposure.csv"] = Csv(w =>
            {
                w.WriteRow(["group", "treatment", "measure", "value"]);
                var rows = DsmbReport.CamrelizumabRows(input, groups).Select(r => ("camrelizumab", r))
                    .Concat(closed ? DsmbReport.RadiotherapyRows(input, groups).Select(r => ("radiotherapy", r)) : []);
                foreach (var (treatment, (label, cells)) in rows)
                {
                    for (var i = 0; i < groups.Count; i++)
                    {
                        w.WriteRow([groups[i].Label, treatment, label, cells[i]]);
                    }
                }
            });
        }

        if (input.Dispositions.Count > 0)
        {
            tables["disposition.csv"] = Csv(w =>
            {
                w.WriteRow(["group", "scope", "status_or_reason", "subjects", "denominator"]);
                foreach (var scope in new[] { Subjects.DispositionScope.Treatment, Subjects.DispositionScope.Study })
                {
                    foreach (var row in DispositionCounts.Tabulate([.. groups.Select(g => g.Subjects)], input.Dispositions, scope))
                    {
                        for (var i = 0; i < groups.Count; i++)
                        {
                            w.WriteRow([groups[i].Label, scope == Subjects.DispositionScope.Treatment ? "study treatment" : "study", row.Term, I(row.Counts[i]), I(groups[i].Subjects.Count)]);
                        }
                    }
                }
            });
        }

        if (closed)
        {
            tables["rules.csv"] = Csv(w =>
            {
                w.WriteRow(["rule", "arm", "method", "p0", "alpha", "status", "crossing_look", "crossing_events", "crossing_boundary", "enrolled", "events", "evaluable", "pending", "boundary_at_enrolled", "distance"]);
                foreach (var e in input.Evaluations)
                {
                    w.WriteRow([e.Rule.Id, e.Rule.Arm, Stopping.BoundaryFamilies.Name(e.Rule.Method), e.Rule.P0.ToString(CultureInfo.InvariantCulture), e.Rule.Alpha.ToString(CultureInfo.InvariantCulture),
                        e.Status.ToString(), e.Crossing is { } c ? I(c.Look) : "", e.Crossing is { } ce ? I(ce.Events) : "", e.Crossing is { } cb ? I(cb.Boundary) : "",
                        I(e.Enrolled), I(e.Events), I(e.Evaluable), I(e.Pending), e.BoundaryAtEnrolled is { } b ? I(b) : "", e.DistanceText]);
                }
            });
        }

        return tables;
    }

    private static string Csv(Action<CsvWriter> write)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        write(new CsvWriter(text));
        return text.ToString();
    }

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string P(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
}
