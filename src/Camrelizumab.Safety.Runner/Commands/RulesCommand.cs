using System.CommandLine;
using System.Globalization;
using Camrelizumab.Safety.Core.Configuration;
using Camrelizumab.Safety.Core.Stopping;
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
        var data = new Option<DirectoryInfo>("--data") { Description = "Azurite data folder of a local `safety run` (when no connection string is set)", DefaultValueFactory = _ => new DirectoryInfo(".safety-data") };
        var connection = new Option<string?>("--connection-string") { Description = "Storage connection string" };
        var rulesPath = new Option<FileInfo?>("--rules") { Description = "A rules file to check instead of the configured one" };
        var json = new Option<bool>("--json") { Description = "Print JSON: per rule and arm the status, look of crossing, events and boundary there, evaluable, pending, distance and achieved α" };
        var check = new Command("check", "Validate the rules, evaluate them on the stored data, and show each rule's status and the per-arm false-alarm probability.")
        {
            data, connection, rulesPath, json,
        };
        check.SetAction((parse, ct) => CheckAsync(parse.GetValue(data)!, parse.GetValue(connection), parse.GetValue(rulesPath), parse.GetValue(json), ct));
        var evaluation = new Option<string>("--evaluation") { Description = "The evaluation id (from an alert email, the DSMB summary or `rules check`)", Required = true };
        var recompute = new Command("recompute", "Recompute a stored evaluation from its kept data snapshot and rules file, and compare every result.")
        {
            evaluation, data, connection,
        };
        recompute.SetAction((parse, ct) => RecomputeAsync(parse.GetValue(evaluation)!, parse.GetValue(data)!, parse.GetValue(connection), ct));
        return new Command("rules", "Stopping rules: check the configured rules against the stored data; recompute a past evaluation.") { check, recompute };
    }

    private static Task<int> RecomputeAsync(string evaluationId, DirectoryInfo data, string? connectionString, CancellationToken cancellationToken) =>
        StorageCommand.WithRuntimeAsync(data, connectionString, new Dictionary<string, string?>(), runtime => PrintRecomputeAsync(runtime, evaluationId, cancellationToken), cancellationToken);

    private static async Task<int> PrintRecomputeAsync(SafetyRuntime runtime, string evaluationId, CancellationToken cancellationToken)
    {
        var result = await runtime.Services.GetRequiredService<RecomputeEvaluation>().RunAsync(evaluationId, cancellationToken);
        var console = AnsiConsole.Console;
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

        return 4;
    }

    private static Task<int> CheckAsync(DirectoryInfo data, string? connectionString, FileInfo? rulesFile, bool json, CancellationToken cancellationToken) =>
        StorageCommand.WithRuntimeAsync(
            data,
            connectionString,
            rulesFile is null ? new Dictionary<string, string?>() : new Dictionary<string, string?> { ["Rules:Path"] = rulesFile.FullName },
            runtime => PrintCheckAsync(runtime, json, cancellationToken),
            cancellationToken);

    private static async Task<int> PrintCheckAsync(SafetyRuntime runtime, bool json, CancellationToken cancellationToken)
    {
        var rules = runtime.Services.GetRequiredService<SafetyRules>();
        var time = runtime.Services.GetRequiredService<TimeProvider>();
        var evaluation = await runtime.Services.GetRequiredService<SnapshotReader>().EvaluateAsync(DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), cancellationToken);
        var arms = ArmMultiplicity.Compute(rules);
        var exitCode = evaluation.Evaluations.Any(e => e.Status == RuleStatus.Crossed) ? 3 : 0;
        if (json)
        {
            Console.WriteLine(RulesCheckJson.Write(rules, evaluation, arms));
            return exitCode;
        }

        var console = AnsiConsole.Console;
        console.MarkupLineInterpolated($"Rules {rules.Version} (sha256 {rules.ContentSha256[..12]}): {rules.Status}");
        console.MarkupLineInterpolated($"Evaluation {evaluation.EvaluationId} as of {evaluation.AsOf:yyyy-MM-dd}, data snapshot {evaluation.DataSnapshotSha256[..12]}, {evaluation.DictionaryVersion}");
        console.MarkupLine("Subjects are judged in enrolment (first-dose) order: look n crosses once the events known among the first n enrolled reach its boundary.");
        var table = new Table().AddColumns("Rule", "Arm", "Method", "Status", "Crossed at", "Now: events/evaluated/pending", "Distance");
        foreach (var e in evaluation.Evaluations)
        {
            table.AddRow(
                Markup.Escape(e.Rule.Id),
                e.Rule.Arm,
                Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{e.Rule.Method} p0={e.Rule.P0} α={e.Rule.Alpha} (achieved {e.Boundary.AchievedAlpha:0.0000})")),
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
