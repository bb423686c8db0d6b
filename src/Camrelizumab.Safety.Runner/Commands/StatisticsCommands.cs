using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Camrelizumab.Safety.Core.Reporting;
using Camrelizumab.Safety.Core.Stopping;
using Camrelizumab.Safety.Runner.CommandLine;
using Spectre.Console;

namespace Camrelizumab.Safety.Runner.Commands;

/// <summary><c>safety boundary</c> and <c>safety compare</c>: the statistical core for trial statisticians, offline.</summary>
internal static class StatisticsCommands
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static Command Boundary()
    {
        var method = new Option<string>("--method") { Description = BoundaryFamilies.Names, Required = true };
        var p0 = new Option<decimal>("--p0") { Description = "Highest acceptable toxicity rate (BOP2: the unacceptable rate φ)", Required = true };
        var alpha = new Option<decimal>("--alpha") { Description = "Allowed crossing probability at p0", Required = true };
        var looks = new Option<string>("--looks") { Description = "A range 1-60 or a list 10,20,30,40", Required = true };
        var prior = new Option<string?>("--prior") { Description = "Beta prior a,b (Bayesian families)" };
        var p1 = new Option<decimal?>("--p1") { Description = "Alternative rate (sprt, wald, cc); BOP2: the acceptable rate" };
        var delta = new Option<double?>("--delta") { Description = "Wang–Tsiatis Δ" };
        var nu = new Option<double?>("--nu") { Description = "Chen–Chaloner ν" };
        var threshold = new Option<double?>("--threshold") { Description = "Fixed posterior threshold c (bayes)" };
        var beta = new Option<double?>("--beta") { Description = "Wald SPRT β, 1 − power at p1 (default 0.2)" };
        var oc = new Option<string?>("--oc") { Description = "True rates for operating characteristics, e.g. 0.2,0.3,0.4" };
        var tau = new Option<double?>("--tau") { Description = "Follow-up time τ until a result is known (adds overrun figures; needs --accrual)" };
        var accrual = new Option<double?>("--accrual") { Description = "Accrual time A for all N patients" };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var command = new Command("boundary", "Calibrate a stopping boundary exactly and print its operating characteristics.")
        {
            method, p0, alpha, looks, prior, p1, delta, nu, threshold, beta, oc, tau, accrual, json,
        };
        command.SetAction(parse =>
        {
            var design = new BoundaryDesign
            {
                Method = Inputs.Parse("--method", parse.GetValue(method)!, BoundaryFamilies.Parse),
                P0 = parse.GetValue(p0),
                Alpha = parse.GetValue(alpha),
                Looks = Inputs.Parse("--looks", parse.GetValue(looks)!, Looks.Parse),
                Prior = Inputs.Parse("--prior", parse.GetValue(prior) ?? "", ParsePair),
                P1 = parse.GetValue(p1),
                Delta = parse.GetValue(delta),
                Nu = parse.GetValue(nu),
                Threshold = parse.GetValue(threshold),
                Beta = parse.GetValue(beta),
            };
            var problems = design.Problems().Select(p => $"--{Flag(p.Field)} {p.Message}").ToList();
            var (followUp, accrualTime) = (parse.GetValue(tau), parse.GetValue(accrual));
            if ((followUp is null) != (accrualTime is null))
            {
                problems.Add(followUp is null ? "--accrual needs --tau (the time until a result is known)." : "--tau needs --accrual (the time to enrol all N patients).");
            }

            if (followUp is <= 0 || accrualTime is <= 0)
            {
                problems.Add("--tau and --accrual must be positive.");
            }

            if (problems.Count > 0)
            {
                throw new InputError(string.Join(" ", problems));
            }

            var boundary = BoundaryCalculator.Compute(design);
            var (rates, ratesFrom) = OcRates(parse.GetValue(oc), design);
            var characteristics = rates.Select(r => (Oc: boundary.OperatingCharacteristicsAt(r),
                Overrun: followUp is { } t && accrualTime is { } a ? OverrunCharacteristics.Compute(boundary, r, t, a) : null,
                Calendar: followUp is { } tc && accrualTime is { } ac ? CalendarTimeSimulation.Simulate(boundary, r, ac, tc, EvaluationOrder.Enrolment, SimulatedTrials, SimulationSeed) : null)).ToList();
            var alphaMeaning = AlphaMeaning(boundary);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    method = boundary.Method.Name(),
                    p0 = boundary.P0,
                    alpha = boundary.Alpha,
                    looks = boundary.Looks.Values,
                    feasible = boundary.Feasible,
                    boundaries = boundary.Boundaries,
                    acceptBoundaries = boundary.AcceptBoundaries,
                    achievedAlpha = boundary.AchievedAlpha,
                    achievedAlphaMeaning = alphaMeaning,
                    constant = boundary.ConstantDescription,
                    ocRatesFrom = ratesFrom,
                    accrual = accrualTime,
                    tau = followUp,
                    oc = characteristics.Select(c => new
                    {
                        p = c.Oc.Rate,
                        rejectProbability = c.Oc.RejectProbability,
                        expectedPatients = c.Oc.ExpectedPatients,
                        expectedToxicities = c.Oc.ExpectedToxicities,
                        stopProbability = c.Oc.StopProbability,
                        acceptProbability = boundary.AcceptBoundaries is null ? (double?)null : c.Oc.AcceptProbability,
                        expectedEnrolled = c.Overrun?.ExpectedEnrolled,
                        expectedCalendarTime = c.Overrun?.ExpectedCalendarTime,
                        expectedToxicitiesIncludingPending = c.Overrun?.ExpectedToxicitiesIncludingPending,
                        calendar = c.Calendar is { } cal ? new
                        {
                            crossingProbability = cal.CrossingProbability,
                            standardError = cal.StandardError,
                            meanTimeToCrossing = cal.MeanTimeToCrossing,
                            meanTimeToCrossingError = cal.MeanTimeToCrossingError,
                            trials = cal.Trials,
                            seed = cal.Seed,
                        } : null,
                    }),
                }, Json));
                return 0;
            }

            var console = Terminal.Console;
            console.MarkupLineInterpolated($"[bold]{boundary.Method.Name()}[/], p0 = {boundary.P0}, α = {boundary.Alpha}, N = {boundary.Looks.MaxPatients}");
            if (!boundary.Feasible)
            {
                console.MarkupLine("[red]Not feasible:[/] no rule of this family keeps the crossing probability at or below α; it can never stop.");
                return 0;
            }

            console.MarkupLineInterpolated($"{alphaMeaning}: {boundary.AchievedAlpha:0.000000}; {boundary.ConstantDescription}");
            var table = new Table().AddColumns("Evaluable patients", "Stop if toxicities ≥");
            foreach (var (range, b) in Ranges(boundary))
            {
                table.AddRow(range, b);
            }

            console.Write(table);
            console.MarkupLineInterpolated($"Operating characteristics at {ratesFrom} (exact):");
            var ocTable = new Table().AddColumns("True rate", "P(stop)", "E[[patients]]", "E[[toxicities]]");
            if (followUp is not null)
            {
                ocTable.AddColumns("E[[enrolled]]", "E[[calendar]]", "E[[tox incl. pending]]", "P(cross), calendar time", "Mean time to crossing");
            }

            foreach (var (o, overrun, calendar) in characteristics)
            {
                string[] cells = [F(o.Rate), F(o.RejectProbability), F(o.ExpectedPatients), F(o.ExpectedToxicities)];
                ocTable.AddRow(overrun is null || calendar is null ? cells :
                [
                    .. cells, F(overrun.ExpectedEnrolled), F(overrun.ExpectedCalendarTime), F(overrun.ExpectedToxicitiesIncludingPending),
                    string.Create(CultureInfo.InvariantCulture, $"{calendar.CrossingProbability:0.000} ± {calendar.StandardError:0.000}"),
                    calendar.MeanTimeToCrossing is { } m ? string.Create(CultureInfo.InvariantCulture, $"{m:0.0} ± {calendar.MeanTimeToCrossingError ?? 0:0.0}") : "–",
                ]);
            }

            console.Write(ocTable);
            if (followUp is not null)
            {
                console.MarkupLine("E[[enrolled]], E[[calendar]] and E[[tox incl. pending]]: Martens and Logan, exact, results known τ after enrolment, in enrolment order.");
                console.MarkupLineInterpolated($"P(cross) and mean time to crossing (among trials that cross, from the start of accrual): calendar time as `safety` monitors it, enrolment order, each event uniform within τ; Monte Carlo, {SimulatedTrials} trials, seed {SimulationSeed}, ± one standard error.");
            }

            return 0;
        });
        return command;
    }

    /// <summary>The δ values <c>compare</c> always shows, besides the requested one.</summary>
    private static readonly decimal[] DeltaGrid = [0m, 0.05m, 0.10m, 0.15m, 0.20m];

    private const int SimulatedTrials = 4000;

    private const int SimulationSeed = 20261129;

    /// <summary>The rates for operating characteristics: --oc as given, else p0 and p1 (--p1, or the p1 of configured rules with the same design).</summary>
    private static (List<double> Rates, string From) OcRates(string? oc, BoundaryDesign design)
    {
        if (!string.IsNullOrWhiteSpace(oc))
        {
            return (Inputs.Parse("--oc", oc, text => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(r => double.Parse(r, NumberStyles.Float, CultureInfo.InvariantCulture)).ToList()), "the --oc rates");
        }

        if (design.P1 is { } p1)
        {
            return ([(double)design.P0, (double)p1], "p0 and --p1");
        }

        var matching = SafetyRules.LoadDefaults().Rules
            .Where(r => r.P1 is not null && r.Method == design.Method && r.P0 == design.P0 && r.Alpha == design.Alpha && r.MaxPatients == design.Looks.MaxPatients)
            .ToList();
        return matching.Count == 0
            ? ([(double)design.P0], "p0 (give --p1 or --oc for the power at an unacceptable rate)")
            : ([(double)design.P0, .. matching.Select(r => (double)r.P1!.Value).Distinct().Order()], $"p0 and the p1 of rule(s) {string.Join(", ", matching.Select(r => r.Id))}");
    }

    private static string AlphaMeaning(StoppingBoundary boundary) => boundary.Method == BoundaryMethod.Bop2
        ? "P(stop) at the unacceptable rate φ = p0 (BOP2's own type I error is P(no stop | φ) = 1 − this, held ≤ α)"
        : "Achieved α, the exact crossing probability at p0";

    /// <summary>A design parameter as its command-line flag, e.g. <c>p0</c> for <c>--p0</c>.</summary>
    private static string Flag(BoundaryField field) => field.ToString().ToLowerInvariant();

    public static Command Compare()
    {
        var mono = new Option<string>("--mono") { Description = "Toxicities/patients in the monotherapy arm, e.g. 3/20", Required = true };
        var combo = new Option<string>("--combo") { Description = "Toxicities/patients in the combination arm, e.g. 8/20", Required = true };
        var delta = new Option<decimal>("--delta") { Description = "Margin δ", DefaultValueFactory = _ => 0m };
        var prior = new Option<string?>("--prior") { Description = "Beta prior a,b for both arms (default 1,1)" };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var command = new Command("compare", "P(p_combo − p_mono > δ | data) with independent Beta posteriors.") { mono, combo, delta, prior, json };
        command.SetAction(parse =>
        {
            var (ym, nm) = Inputs.Parse("--mono", parse.GetValue(mono)!, ParseCount);
            var (yc, nc) = Inputs.Parse("--combo", parse.GetValue(combo)!, ParseCount);
            var requested = parse.GetValue(delta);
            var (a, b) = Inputs.Parse("--prior", parse.GetValue(prior) ?? "", ParsePair) ?? (1, 1);
            decimal[] grid = [.. DeltaGrid.Append(requested).Distinct().Order()];
            var probabilities = Inputs.Check("--delta/--prior", () => grid.Select(d => (Delta: d, Probability: ComparativeRule.Probability(yc, nc, ym, nm, (double)d, (a, b)))).ToList());
            var arms = new[] { ("mono", ym, nm), ("combo", yc, nc) }
                .Select(x => (Arm: x.Item1, Events: x.Item2, Patients: x.Item3, Rate: x.Item3 == 0 ? double.NaN : (double)x.Item2 / x.Item3, Interval: Incidence.ClopperPearson(x.Item2, x.Item3)))
                .ToList();
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    mono = new { events = ym, patients = nm },
                    combo = new { events = yc, patients = nc },
                    prior = new { a, b, meaning = "independent Beta(a, b) priors for both arms; posteriors Beta(a + y, b + n − y)" },
                    delta = requested,
                    probability = probabilities.Single(p => p.Delta == requested).Probability,
                    observed = arms.Select(x => new { arm = x.Arm, events = x.Events, patients = x.Patients, rate = x.Patients == 0 ? (double?)null : x.Rate, ci95 = new[] { x.Interval.Low, x.Interval.High }, interval = "exact (Clopper–Pearson) 95%" }),
                    posterior = probabilities.Select(p => new { delta = p.Delta, probability = p.Probability }),
                }, Json));
                return 0;
            }

            var console = Terminal.Console;
            console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"Inputs: monotherapy {ym}/{nm}, combination {yc}/{nc}; prior Beta({a}, {b}) for each arm, independent; posteriors Beta({a + ym}, {b + nm - ym}) and Beta({a + yc}, {b + nc - yc}).");
            var observed = new Table().AddColumns("Arm", "Events / patients", "Observed rate", "Exact 95% CI (Clopper–Pearson)");
            foreach (var x in arms)
            {
                observed.AddRow(x.Arm, $"{x.Events}/{x.Patients}", x.Patients == 0 ? "–" : F(Math.Round(x.Rate, 4)), string.Create(CultureInfo.InvariantCulture, $"{x.Interval.Low:0.0000} – {x.Interval.High:0.0000}"));
            }

            console.Write(observed);
            var posterior = new Table().AddColumns("δ", "P(p_combo − p_mono > δ | data)");
            foreach (var (d, probability) in probabilities)
            {
                posterior.AddRow(d == requested ? $"[bold]{d.ToString(CultureInfo.InvariantCulture)}[/] (--delta)" : d.ToString(CultureInfo.InvariantCulture), probability.ToString("0.########", CultureInfo.InvariantCulture));
            }

            console.Write(posterior);
            return 0;
        });
        return command;
    }

    private static IEnumerable<(string Range, string Boundary)> Ranges(StoppingBoundary boundary)
    {
        var looks = boundary.Looks.Values;
        var start = 0;
        for (var i = 1; i <= looks.Count; i++)
        {
            if (i == looks.Count || boundary.Boundaries[i] != boundary.Boundaries[start] || !boundary.CanStopAt(i) || !boundary.CanStopAt(start))
            {
                if (boundary.CanStopAt(start))
                {
                    var range = looks[start] == looks[i - 1] ? $"{looks[start]}" : $"{looks[start]}–{looks[i - 1]}";
                    yield return (range, boundary.Boundaries[start].ToString(CultureInfo.InvariantCulture));
                }

                start = i;
            }
        }
    }

    private static (double, double)? ParsePair(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        return parts.Length == 2
            ? (double.Parse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture), double.Parse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture))
            : throw new FormatException($"'{text}' is not a pair a,b.");
    }

    private static (int Events, int Patients) ParseCount(string text)
    {
        var parts = text.Split('/', StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out var y) || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var n) || y < 0 || y > n)
        {
            throw new FormatException($"'{text}' is not toxicities/patients such as 3/20.");
        }

        return (y, n);
    }

    private static string F(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);
}
