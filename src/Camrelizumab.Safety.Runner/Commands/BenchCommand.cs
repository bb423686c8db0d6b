using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Camrelizumab.Safety.Core.Stopping;
using Camrelizumab.Safety.Runner.CommandLine;
using Spectre.Console;

namespace Camrelizumab.Safety.Runner.Commands;

/// <summary><c>safety bench boundary</c>: wall-clock time of calibration plus operating characteristics.</summary>
/// <remarks>Timings are measured and printed, never asserted in tests. Run a Release build for figures worth quoting.</remarks>
internal static class BenchCommand
{
    public static Command Create()
    {
        var repeat = new Option<int>("--repeat") { Description = "Timed repetitions per case (after one warm-up)", DefaultValueFactory = _ => 5 };
        var boundary = new Command("boundary", "Time calibration + OC at 3 rates for N = 100 and N = 1,000 looks.") { repeat };
        boundary.SetAction(parse =>
        {
            var table = new Table().AddColumns("Case", "Boundary at N", "Achieved α", "Median ms", "Min ms", "Max ms");
            foreach (var (name, design) in Cases())
            {
                Run(design);
                var times = new List<double>();
                StoppingBoundary? result = null;
                for (var i = 0; i < parse.GetValue(repeat); i++)
                {
                    var watch = Stopwatch.StartNew();
                    result = Run(design);
                    times.Add(watch.Elapsed.TotalMilliseconds);
                }

                times.Sort();
                table.AddRow(name, result!.Boundaries[^1].ToString(CultureInfo.InvariantCulture), result.AchievedAlpha.ToString("0.000000", CultureInfo.InvariantCulture),
                    F(times[times.Count / 2]), F(times[0]), F(times[^1]));
            }

            Terminal.Write(table);
            return 0;
        });
        return new Command("bench", "Measure speed and memory.") { boundary, BenchIngestCommand.Create(), BenchPipelineCommand.Create(), BenchEvaluateCommand.Create() };
    }

    private static StoppingBoundary Run(BoundaryDesign design)
    {
        var boundary = BoundaryCalculator.Compute(design);
        foreach (var rate in new[] { (double)design.P0, (double)design.P0 + 0.1, (double)design.P0 + 0.2 })
        {
            boundary.OperatingCharacteristicsAt(rate);
        }

        return boundary;
    }

    private static IEnumerable<(string Name, BoundaryDesign Design)> Cases()
    {
        foreach (var n in new[] { 100, 1000 })
        {
            yield return ($"pocock p0=0.2 α=0.1 N={n}", new BoundaryDesign { Method = BoundaryMethod.Pocock, P0 = 0.2m, Alpha = 0.1m, Looks = Looks.Continuous(n) });
            yield return ($"obf p0=0.2 α=0.1 N={n}", new BoundaryDesign { Method = BoundaryMethod.ObrienFleming, P0 = 0.2m, Alpha = 0.1m, Looks = Looks.Continuous(n) });
            yield return ($"bb(0.6,2.4) p0=0.2 α=0.1 N={n}", new BoundaryDesign { Method = BoundaryMethod.BetaBinomial, P0 = 0.2m, Alpha = 0.1m, Looks = Looks.Continuous(n), Prior = (0.6, 2.4) });
            yield return ($"maxsprt p0=0.03 α=0.1 N={n}", new BoundaryDesign { Method = BoundaryMethod.MaxSprt, P0 = 0.03m, Alpha = 0.1m, Looks = Looks.Continuous(n) });
        }
    }

    private static string F(double ms) => ms.ToString("0.0", CultureInfo.InvariantCulture);
}
