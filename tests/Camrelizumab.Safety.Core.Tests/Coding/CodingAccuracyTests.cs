using Camrelizumab.Safety.Core.Coding;
using Camrelizumab.Safety.Core.Text;

namespace Camrelizumab.Safety.Core.Tests.Coding;

/// <summary>
/// The coder on a verbatim list assembled for this trial (TestData/Coding.VerbatimList.csv): English, British English,
/// shorthand, MedDRA preferred terms, qualifiers, typos and Chinese, with the CTCAE term a coder would choose, or empty
/// where the text is ambiguous and must go to a coder.
/// </summary>
public sealed class CodingAccuracyTests
{
    [Fact]
    public void Code_OnTheAssembledVerbatimList_NeverCodesWrongly()
    {
        using var stream = typeof(CodingAccuracyTests).Assembly.GetManifestResourceStream("Camrelizumab.Safety.Core.Tests.TestData.Coding.VerbatimList.csv")!;
        using var text = new StreamReader(stream);
        var csv = new CsvReader(text, ',');
        csv.TryRead(out _);
        int correct = 0, wrong = 0, missed = 0, rows = 0;
        var problems = new List<string>();
        while (csv.TryRead(out var row))
        {
            rows++;
            var expected = row[1].Length == 0 ? null : row[1];
            var result = CtcaeCoder.Default.Code(row[0]);
            if (result.Term?.Name == expected)
            {
                correct++;
            }
            else if (result.IsCoded)
            {
                wrong++;
                problems.Add($"WRONG {row[0]} → {result.Term!.Name} ({CodingResult.MethodName(result.Method)}), expected {expected ?? "needs coding"}");
            }
            else
            {
                missed++;
                problems.Add($"missed {row[0]}, expected {expected}");
            }
        }

        TestContext.Current.SendDiagnosticMessage($"Verbatim list: {rows} rows, {correct} as a coder would ({100.0 * correct / rows:0.0}%), {wrong} wrong, {missed} left to a coder that had an answer. {string.Join("; ", problems)}");
        Assert.Equal(0, wrong);
        Assert.Equal(rows, correct + wrong + missed);
    }
}
