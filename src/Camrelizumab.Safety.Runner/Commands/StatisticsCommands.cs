using System.CommandLine;
using System.Globalization;
using System.Text.Json;
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
        var method = new Option<string>("--method") { Description = "pocock, obf, wt, bb, cc, sprt, maxsprt (calibrated); wald, bayes, bop2", Required = true };
        var p0 = new Option<decimal>("--p0") { Description = "Highest acceptable toxicity rate (BOP2: the unacceptable rate φ)", Required = true };
        var alpha = new Option<decimal>("--alpha") { Description = "Allowed crossing probability at p0", Required = true };
        var looks = new Option<string>("--looks") { Description = "A range 1-60 or a list 10,20,30,40", Required = true };
        var prior = new Option<string?>("--prior") { Description = "Beta prior a,b (Bayesian families)" };
        var p1 = new Option<decimal?>("--p1") { Description = "Alternative rate (sprt, wald, cc); BOP2: the acceptable rate" };
        var delta = new Option<double?>("--delta") { Description = "Wang–Tsiatis Δ" };
        var nu = new Option<double?>("--nu") { Description = "Chen–Chaloner ν" };
        var threshold = new Option<double?>("--threshold") { Description = "Fixed posterior threshold c (bayes)" };
        var oc = new Option<string?>("--oc") { Description = "True rates for operating characteristics, e.g. 0.2,0.3,0.4" };
        var tau = new Option<double?>("--tau") { Description = "Follow-up time τ until a result is known (adds overrun figures; needs --accrual)" };
        var accrual = new Option<double?>("--accrual") { Description = "Accrual time A for all N patients" };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var command = new Command("boundary", "Calibrate a stopping boundary exactly and print its operating characteristics.")
        {
            method, p0, alpha, looks, prior, p1, delta, nu, threshold, oc, tau, accrual, json,
        };
        command.SetAction(parse =>
        {
            var design = new BoundaryDesign
            {
                Method = Inputs.Parse("--method", parse.GetValue(method)!, BoundaryCalculator.Parse),
                P0 = parse.GetValue(p0),
                Alpha = parse.GetValue(alpha),
                Looks = Inputs.Parse("--looks", parse.GetValue(looks)!, Looks.Parse),
                Prior = Inputs.Parse("--prior", parse.GetValue(prior) ?? "", ParsePair),
                P1 = parse.GetValue(p1),
                Delta = parse.GetValue(delta),
                Nu = parse.GetValue(nu),
                Threshold = parse.GetValue(threshold),
            };
            var problems = design.Problems();
            if (problems.Count > 0)
            {
                throw new InputError(string.Join(" ", problems));
            }

            var boundary = BoundaryCalculator.Compute(design);
            var rates = Inputs.Parse("--oc", parse.GetValue(oc) ?? "", text => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(r => double.Parse(r, NumberStyles.Float, CultureInfo.InvariantCulture)).ToList());
            var (followUp, accrualTime) = (parse.GetValue(tau), parse.GetValue(accrual));
            var characteristics = rates.Select(r => (Oc: boundary.OperatingCharacteristicsAt(r),
                Overrun: followUp is { } t && accrualTime is { } a ? OverrunCharacteristics.Compute(boundary, r, t, a) : null)).ToList();
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    method = boundary.Method,
                    p0 = boundary.P0,
                    alpha = boundary.Alpha,
                    looks = boundary.Looks.Values,
                    feasible = boundary.Feasible,
                    boundaries = boundary.Boundaries,
                    acceptBoundaries = boundary.AcceptBoundaries,
                    achievedAlpha = boundary.AchievedAlpha,
                    constant = boundary.ConstantDescription,
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
                    }),
                }, Json));
                return 0;
            }

            var console = AnsiConsole.Console;
            console.MarkupLineInterpolated($"[bold]{boundary.Method}[/], p0 = {boundary.P0}, α = {boundary.Alpha}, N = {boundary.Looks.MaxPatients}");
            if (!boundary.Feasible)
            {
                console.MarkupLine("[red]Not feasible:[/] no rule of this family keeps the crossing probability at or below α; it can never stop.");
                return 0;
            }

            console.MarkupLineInterpolated($"Achieved α = {boundary.AchievedAlpha:0.000000}; {boundary.ConstantDescription}");
            var table = new Table().AddColumns("Evaluable patients", "Stop if toxicities ≥");
            foreach (var (range, b) in Ranges(boundary))
            {
                table.AddRow(range, b);
            }

            console.Write(table);
            if (characteristics.Count > 0)
            {
                var ocTable = new Table().AddColumns("True rate", "P(stop)", "E[[patients]]", "E[[toxicities]]");
                if (followUp is not null)
                {
                    ocTable.AddColumns("E[[enrolled]]", "E[[calendar]]", "E[[tox incl. pending]]");
                }

                foreach (var (o, overrun) in characteristics)
                {
                    string[] cells = [F(o.Rate), F(o.RejectProbability), F(o.ExpectedPatients), F(o.ExpectedToxicities)];
                    ocTable.AddRow(overrun is null ? cells : [.. cells, F(overrun.ExpectedEnrolled), F(overrun.ExpectedCalendarTime), F(overrun.ExpectedToxicitiesIncludingPending)]);
                }

                console.Write(ocTable);
            }

            return 0;
        });
        return command;
    }

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
            var pair = Inputs.Parse("--prior", parse.GetValue(prior) ?? "", ParsePair) ?? (1, 1);
            var probability = Inputs.Check("--delta/--prior", () => ComparativeRule.Probability(yc, nc, ym, nm, (double)parse.GetValue(delta), pair));
            Console.WriteLine(parse.GetValue(json)
                ? JsonSerializer.Serialize(new { probability })
                : string.Create(CultureInfo.InvariantCulture, $"P(p_combo − p_mono > {parse.GetValue(delta)} | data) = {probability:0.########}"));
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
