using Camrelizumab.Safety.Core.Stopping;

namespace Camrelizumab.Safety.Core.Tests.Stopping;

public sealed class PocockBoundaryTests
{
    /// <summary>Expands the doc's "b/n1–n2" notation into b_n for n = 1..N (n+1 where stopping is impossible).</summary>
    private static int[] Expand(int maxPatients, string table)
    {
        var result = Enumerable.Range(1, maxPatients).Select(n => n + 1).ToArray();
        foreach (var part in table.Split(", "))
        {
            var slash = part.Split('/');
            var b = int.Parse(slash[0]);
            var range = slash[1].Split('–');
            var first = int.Parse(range[0]);
            var last = range.Length > 1 ? int.Parse(range[1]) : first;
            for (var n = first; n <= last; n++)
            {
                result[n - 1] = b;
            }
        }

        return result;
    }

    [Theory]
    // docs/stopping-rules.md §7, any grade ≥3 TRAE, monotherapy arm.
    [InlineData("0.20", "3/3, 4/4–6, 5/7–9, 6/10–12, 7/13–16, 8/17–19, 9/20–22, 10/23–26, 11/27–30, 12/31–33, 13/34–37, 14/38–41, 15/42–45, 16/46–49, 17/50–53, 18/54–57, 19/58–60")]
    // §7, grade ≥3 pneumonitis.
    [InlineData("0.05", "2/2–6, 3/7–15, 4/16–25, 5/26–37, 6/38–49, 7/50–60")]
    // §7, esophageal fistula, combination arm.
    [InlineData("0.08", "2/2–3, 3/4–9, 4/10–15, 5/16–23, 6/24–30, 7/31–38, 8/39–47, 9/48–56, 10/57–60")]
    // §7, esophageal fistula (monotherapy) and treatment-related death.
    [InlineData("0.03", "1/1, 2/2–9, 3/10–24, 4/25–41, 5/42–60")]
    public void Calibrate_MatchesTrialDefaultsTable(string p0, string table)
    {
        var boundary = PocockBoundary.Calibrate(decimal.Parse(p0), 0.10m, Looks.Continuous(60));

        Assert.True(boundary.Feasible);
        Assert.Equal(Expand(60, table), boundary.Boundaries);
        Assert.True(boundary.AchievedAlpha <= 0.10);
    }

    [Fact]
    public void Calibrate_CombinationArmStartsAsDocumented()
    {
        // §7, any grade ≥3 TRAE, combination arm: "4/4, 5/5–6, 6/7–9, 7/10–11, 8/12–13 … 26/59–60".
        var b = PocockBoundary.Calibrate(0.30m, 0.10m, Looks.Continuous(60)).Boundaries;

        Assert.Equal([2, 3, 4, 4, 5, 5, 6, 6, 6, 7, 7, 8, 8], b.Take(13).Select((x, i) => i < 3 ? i + 2 : x));
        Assert.Equal(26, b[58]);
        Assert.Equal(26, b[59]);
    }

    [Fact]
    public void Calibrate_KeepsBoundaryAtExactTie()
    {
        // §3: p0 = 0.2, N = 2, α = 0.04. P(S_2 = 2) = 0.04 exactly; in doubles 0.2·0.2 = 0.04000000000000001.
        var boundary = PocockBoundary.Calibrate(0.2m, 0.04m, Looks.Continuous(2));

        Assert.True(boundary.Feasible);
        Assert.Equal([2, 2], boundary.Boundaries);
        Assert.Equal(0.04, boundary.AchievedAlpha, 1e-15);

        // Every nominal level in [0.04, 0.2) gives this rule; at 0.2 the first patient alone would stop it.
        Assert.Equal(0.04, boundary.ConstantLow, 1e-15);
        Assert.Equal(0.2, boundary.ConstantHigh, 1e-15);
    }

    [Fact]
    public void Calibrate_ReportsInfeasible_WhenNoRuleCanStop()
    {
        // One patient at p0 = 0.5: the only possible rule stops on 1/1 with probability 0.5 > α = 0.1.
        var boundary = PocockBoundary.Calibrate(0.5m, 0.1m, Looks.Continuous(1));

        Assert.False(boundary.Feasible);
        Assert.Equal([2], boundary.Boundaries);
    }

    [Theory]
    // §7 "P(stop) at unacceptable rates", printed to two decimals.
    [InlineData("0.20", 0.30, 0.59)]
    [InlineData("0.20", 0.35, 0.84)]
    [InlineData("0.20", 0.40, 0.96)]
    [InlineData("0.30", 0.40, 0.53)]
    [InlineData("0.30", 0.45, 0.78)]
    [InlineData("0.30", 0.50, 0.93)]
    [InlineData("0.05", 0.10, 0.52)]
    [InlineData("0.05", 0.15, 0.87)]
    [InlineData("0.08", 0.15, 0.59)]
    [InlineData("0.08", 0.20, 0.88)]
    [InlineData("0.03", 0.10, 0.79)]
    [InlineData("0.03", 0.15, 0.97)]
    public void OperatingCharacteristics_MatchTrialDefaultsTable(string p0, double rate, double expected)
    {
        var boundary = PocockBoundary.Calibrate(decimal.Parse(p0), 0.10m, Looks.Continuous(60));

        var oc = OperatingCharacteristics.Compute(boundary.Looks, boundary.Boundaries, rate);

        Assert.Equal(expected, Math.Round(oc.RejectProbability, 2), 1e-12);
    }
}
