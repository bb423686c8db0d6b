using System.CommandLine;
using System.Globalization;
using Camrelizumab.Safety.Core.Stopping;
using Camrelizumab.Safety.Runner.CommandLine;
using Camrelizumab.Safety.Runner.Hosting;
using Camrelizumab.Safety.Storage.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Camrelizumab.Safety.Runner.Commands;

/// <summary><c>safety rules check</c>: validate the rules file and evaluate it against the stored data.</summary>
internal static class RulesCommand
{
    public static Command Create()
    {
        var rulesPath = new Option<FileInfo?>("--rules") { Description = "A rules file to check instead of the configured one" }.MustBeReadable("a rules file like config/safety-rules.json", text: true);
        var json = new Option<bool>("--json") { Description = "Print JSON: per rule and arm the status, look of crossing, events and boundary there, evaluable, pending, distance and achieved α" };
        var check = new Command("check", "Validate the rules, evaluate them on the stored data, and show each rule's status and the per-arm false-alarm probability.")
        {
            rulesPath, json,
        };
        var checkStorage = new StorageTarget.Choice(check);
        check.SetAction((parse, ct) => CheckAsync(parse, checkStorage, parse.GetValue(rulesPath), parse.GetValue(json), ct));
        var evaluation = new Option<string>("--evaluation") { Description = "The evaluation id (from an alert email, the DSMB summary or `rules check`)", Required = true };
        var recompute = new Command("recompute", "Recompute a stored evaluation from its kept data snapshot and rules file, and compare every result.")
        {
            evaluation,
        };
        var recomputeStorage = new StorageTarget.Choice(recompute);
        recompute.SetAction((parse, ct) => StorageCommand.WithRuntimeAsync(recomputeStorage.Resolve(parse), new Dictionary<string, string?>(), runtime => PrintRecomputeAsync(runtime, parse.GetValue(evaluation)!, ct), ct));
        return new Command("rules", "Stopping rules: check the configured rules against the stored data; recompute a past evaluation.") { check, recompute };
    }

    private static async Task<int> PrintRecomputeAsync(SafetyRuntime runtime, string evaluationId, CancellationToken cancellationToken)
    {
        RecomputeResult result;
        try
        {
            result = await runtime.Services.GetRequiredService<RecomputeEvaluation>().RunAsync(evaluationId, cancellationToken);
        }
        catch (InvalidOperationException ex)
        {
            throw new InputError($"--evaluation {evaluationId}: {Inputs.Reason(ex)}; take the id from an alert email, a DSMB summary or `safety rules check`.");
        }

        var console = Terminal.Console;
        console.MarkupLineInterpolated($"Evaluation {result.EvaluationId} as of {result.AsOf:yyyy-MM-dd}: {result.Rules} rule result(s) recomputed from the kept data snapshot and rules file.");
        console.MarkupLineInterpolated($"Code version then {result.StoredCodeVersion}, now {result.CurrentCodeVersion}; CTCAE dictionary {(result.SameDictionary ? "identical" : "DIFFERENT")}.");
        if (result.Reproduced)
        {
            console.MarkupLine("[green]Reproduced exactly:[/] every status, count, boundary and subject list matches.");
            return 0;
        }

        foreach (var difference in result.Differences)
        {
            console.MarkupLineInterpolated($"[red]differs[/] {difference}");
        }

        return SafetyCommandLine.ProblemFound;
    }

    private static Task<int> CheckAsync(ParseResult parse, StorageTarget.Choice storage, FileInfo? rulesFile, bool json, CancellationToken cancellationToken)
    {
        if (rulesFile is not null)
        {
            // The file is the point of the command: its problems are reported before any storage is opened.
            using var stream = rulesFile.OpenRead();
            _ = SafetyRules.Load(stream, rulesFile.FullName);
        }

        return StorageCommand.WithRuntimeAsync(
            storage.Resolve(parse),
            rulesFile is null ? new Dictionary<string, string?>() : new Dictionary<string, string?> { ["Rules:Path"] = rulesFile.FullName },
            runtime => PrintCheckAsync(runtime, json, cancellationToken),
            cancellationToken);
    }

    private static async Task<int> PrintCheckAsync(SafetyRuntime runtime, bool json, CancellationToken cancellationToken)
    {
        var rules = runtime.Services.GetRequiredService<SafetyRules>();
        var time = runtime.Services.GetRequiredService<TimeProvider>();
        var evaluation = await runtime.Services.GetRequiredService<SnapshotReader>().EvaluateAsync(DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), cancellationToken);
        var arms = ArmMultiplicity.Compute(rules);
        var exitCode = evaluation.Evaluations.Any(e => e.Status == RuleStatus.Crossed) ? SafetyCommandLine.ProblemFound : SafetyCommandLine.Ok;
        if (json)
        {
            Console.WriteLine(RulesCheckJson.Write(rules, evaluation, arms));
            return exitCode;
        }

        var console = Terminal.Console;
        console.MarkupLineInterpolated($"Rules {rules.Version} (sha256 {rules.ContentSha256[..12]}): {rules.Status}");
        console.MarkupLineInterpolated($"Evaluation {evaluation.EvaluationId} as of {evaluation.AsOf:yyyy-MM-dd}, data snapshot {evaluation.DataSnapshotSha256[..12]}, {evaluation.DictionaryVersion}");
        console.MarkupLine("Subjects are judged in enrolment (first-dose) order: look n crosses once the events known among the first n enrolled reach its boundary.");
        var table = new Table().AddColumns("Rule", "Arm", "Method", "Status", "Crossed at", "Now: events/evaluated/pending", "Distance");
        foreach (var e in evaluation.Evaluations)
        {
            table.AddRow(
                Markup.Escape(e.Rule.Id),
                e.Rule.Arm,
                Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{e.Rule.Method.Name()} p0={e.Rule.P0} α={e.Rule.Alpha} (achieved {e.Boundary.AchievedAlpha:0.0000})")),
                e.Status switch { RuleStatus.Crossed => "[red bold]CROSSED[/]", RuleStatus.Infeasible => "[yellow]INFEASIBLE[/]", _ => "ok" },
                e.Crossing is { } c ? Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"look {c.Look}: {c.Events} events ≥ {c.Boundary}")) : "–",
                string.Create(CultureInfo.InvariantCulture, $"{e.Events}/{e.Evaluable}/{e.Pending} of {e.Enrolled}"),
                Markup.Escape(e.DistanceText));
        }

        console.Write(table);
        var multiplicity = new Table().Title("False-alarm probability with every endpoint at its p0").AddColumns("Arm", "Exact (nesting from definitions)", "If independent", "Nesting");
        foreach (var arm in arms)
        {
            multiplicity.AddRow(
                arm.Arm,
                arm.Exact.ToString("0.0000", CultureInfo.InvariantCulture),
                arm.Independent.ToString("0.0000", CultureInfo.InvariantCulture),
                Markup.Escape(string.Join("; ", arm.Nesting.Where(n => n.NestedIn is not null).Select(n => $"{n.RuleId} ⊂ {n.NestedIn}"))));
        }

        console.Write(multiplicity);
        console.MarkupLineInterpolated($"Across both arms: {ArmMultiplicity.AcrossArms(arms):0.0000}");
        console.MarkupLineInterpolated($"Exact: {RulesCheckJson.ExactMeaning}");
        console.MarkupLineInterpolated($"If independent: {RulesCheckJson.IndependentMeaning}");
        console.MarkupLineInterpolated($"Across both arms: {RulesCheckJson.AcrossArmsMeaning}");
        return exitCode;
    }
}
