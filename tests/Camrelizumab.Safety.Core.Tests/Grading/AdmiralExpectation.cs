using System.Globalization;
using Camrelizumab.Safety.Core.Grading;
using Camrelizumab.Safety.Core.Text;

namespace Camrelizumab.Safety.Core.Tests.Grading;

/// <summary>One expected grade from admiral's derive_var_atoxgr tests (TestData/AdmiralCtcaeV5, see its SOURCE.md).</summary>
internal sealed record AdmiralExpectation(int Assertion, int Row, string Function, string Criteria, string Direction, IReadOnlyDictionary<string, string> Cells)
{
    public string? Cell(string name) => Cells.TryGetValue(name, out var v) && v.Length > 0 ? v : null;

    public decimal? Number(string name) => Cell(name) is { } v ? decimal.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture) : null;

    public int? Int(string name) => Cell(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : null;

    public int? Expected => Int("expected_grade");

    public LabUnitSystem System => Criteria.EndsWith("_uscv", StringComparison.Ordinal) ? LabUnitSystem.UsConventional : LabUnitSystem.SI;

    public LabMeasurement Measurement => new()
    {
        Value = Number("AVAL"),
        Unit = Cell("AVALU"),
        LowerLimit = Number("ANRLO"),
        UpperLimit = Number("ANRHI"),
        Baseline = Number("BASE"),
        BaselineRange = Cell("BNRIND"),
        PercentChange = Number("PCHG"),
    };

    public override string ToString() =>
        $"assertion {Assertion} row {Row} {Cell("ATOXDSCL") ?? Cell("ATOXDSCH")} ({Criteria}) " +
        string.Join(" ", new[] { "AVAL", "AVALU", "ANRLO", "ANRHI", "BASE", "BNRIND", "PCHG" }.Where(c => Cell(c) is not null).Select(c => $"{c}={Cell(c)}"));

    public static IReadOnlyList<AdmiralExpectation> Load()
    {
        using var stream = typeof(AdmiralExpectation).Assembly.GetManifestResourceStream(
            "Camrelizumab.Safety.Core.Tests.TestData.AdmiralCtcaeV5.derive_var_atoxgr-test-expectations-ctcv5.csv")!;
        using var text = new StreamReader(stream);
        var csv = new CsvReader(text, ',');
        csv.TryRead(out var headerRow);
        var header = headerRow!.ToList();
        var rows = new List<AdmiralExpectation>();
        while (csv.TryRead(out var row))
        {
            var cells = header.Select((name, i) => (name, value: row[i])).ToDictionary(c => c.name, c => c.value);
            rows.Add(new AdmiralExpectation(
                int.Parse(cells["assertion_id"], CultureInfo.InvariantCulture),
                int.Parse(cells["row_in_table"], CultureInfo.InvariantCulture),
                cells["function_tested"],
                cells["meta_criteria"],
                cells["direction"],
                cells));
        }

        return rows;
    }
}
