using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Camrelizumab.Safety.Core.Aggregation;
using Camrelizumab.Safety.Core.Stopping;
using Camrelizumab.Safety.Runner.CommandLine;
using Camrelizumab.Safety.Runner.Hosting;
using Camrelizumab.Safety.Storage;
using Camrelizumab.Safety.Storage.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Camrelizumab.Safety.Runner.Commands;

/// <summary>
/// <c>safety bench evaluate</c>: the evaluation's read and compute with N stored events, on the per-subject facts the
/// timer reads and by a full recompute from every event (what the timer did before the facts were kept), side by side.
/// </summary>
/// <remarks>
/// Seeds its own tables (a name suffix per seed, reused with <c>--suffix</c>) as the pipeline does: a generated roster
/// and full export (<c>bench pipeline</c>'s) dropped and ingested, which keeps the facts as it writes the events. Then
/// times a rebuild of the facts from every event (the path a rules change takes) and the full recompute, unless
/// <c>--kept-only</c> (on Azurite a whole-table read takes time that grows with the square of the table, so at 1,000,000
/// events those take hours). Timings are printed, never asserted; run a Release build against Azurite or an account.
/// </remarks>
internal static class BenchEvaluateCommand
{
    public static Command Create()
    {
        var events = new Option<int>("--events") { Description = "Stored events to evaluate", DefaultValueFactory = _ => 100_000 };
        var subjects = new Option<int>("--subjects") { Description = "Subjects in the roster", DefaultValueFactory = _ => 2_000 };
        var suffix = new Option<string?>("--suffix") { Description = "Reuse the tables an earlier run seeded (their name suffix, printed by that run; at most 12 lower-case letters or digits)" };
        var repeat = new Option<int>("--repeat") { Description = "Timed runs of each path (the median is reported)", DefaultValueFactory = _ => 3 };
        var keptOnly = new Option<bool>("--kept-only") { Description = "Time the evaluation on kept facts only: no facts rebuild and no full recompute (each reads every event)" };
        var command = new Command("evaluate", "Time an evaluation on the kept per-subject facts against a full recompute from every stored event.")
        {
            events, subjects, suffix, repeat, keptOnly,
        };
        var storage = new StorageTarget.Choice(command);
        command.SetAction((parse, ct) =>
        {
            var runSuffix = parse.GetValue(suffix) ?? $"be{DateTime.UtcNow:HHmmss}";
            return StorageCommand.WithRuntimeAsync(
                storage.Resolve(parse),
                new Dictionary<string, string?> { ["Storage:NameSuffix"] = runSuffix },
                runtime => RunAsync(runtime, runSuffix, parse.GetValue(events), parse.GetValue(subjects), parse.GetValue(repeat), parse.GetValue(keptOnly), ct),
                ct);
        });
        return command;
    }

    private static async Task<int> RunAsync(SafetyRuntime runtime, string suffix, int events, int subjects, int repeat, bool keptOnly, CancellationToken cancellationToken)
    {
        var store = runtime.Services.GetRequiredService<SafetyStore>();
        var rules = runtime.Services.GetRequiredService<SafetyRules>();
        var snapshot = runtime.Services.GetRequiredService<SnapshotReader>();
        var console = Terminal.Console;
        var asOf = new DateOnly(2026, 11, 24);
        console.MarkupLineInterpolated($"Tables with suffix {suffix}; {events:N0} events over {subjects:N0} subjects.");

        var stored = (await store.Subjects.ReadAllAsync(rules.Study, cancellationToken)).Count;
        if (stored == 0)
        {
            var seed = Stopwatch.StartNew();
            await SeedAsync(store, runtime.Services.GetRequiredService<IngestAdverseEventExport>(), events, subjects, cancellationToken);
            console.MarkupLineInterpolated($"Seeded through ingest in {seed.Elapsed.TotalSeconds:0.0} s ({events / seed.Elapsed.TotalSeconds:N0} events/s), the facts kept as the events were written.");
        }

        if (!keptOnly)
        {
            var rebuild = Stopwatch.StartNew();
            var rebuilt = await snapshot.Facts.RebuildAsync(cancellationToken);
            console.MarkupLineInterpolated($"Facts rebuilt from every event in {rebuild.Elapsed.TotalSeconds:0.0} s ({rebuilt:N0} rows changed).");
        }

        var full = new List<double>();
        var kept = new List<double>();
        SafetyEvaluation? fromEvents = null;
        SafetyEvaluation? fromFacts = null;
        var peak = 0L;
        for (var i = 0; i < repeat; i++)
        {
            var watch = Stopwatch.StartNew();
            if (!keptOnly)
            {
                fromEvents = (await snapshot.ReadAsync(asOf, cancellationToken)).Evaluation;
                full.Add(watch.Elapsed.TotalSeconds);
            }

            watch.Restart();
            fromFacts = await snapshot.EvaluateAsync(asOf, cancellationToken);
            kept.Add(watch.Elapsed.TotalSeconds);
            peak = Math.Max(peak, Environment.WorkingSet);
        }

        full.Sort();
        kept.Sort();
        var counted = fromFacts!.Summary.Arms.Sum(a => a.Events) + fromFacts.Summary.EventsWithoutRosterSubject;
        var table = new Table().AddColumns("Path", "Reads", "Median s", "Min s", "Max s");
        if (fromEvents is not null)
        {
            table.AddRow("full recompute (every event)", $"{counted:N0} events", F(full[full.Count / 2]), F(full[0]), F(full[^1]));
        }

        table.AddRow("kept facts (timer)", $"{subjects:N0} subjects", F(kept[kept.Count / 2]), F(kept[0]), F(kept[^1]));
        console.Write(table);
        if (fromEvents is null)
        {
            console.MarkupLineInterpolated($"{counted:N0} counted events evaluated from kept facts ({fromFacts.EvaluationId}); working set peak {peak / 1_048_576:N0} MB.");
            return 0;
        }

        console.MarkupLineInterpolated($"Speed-up {full[full.Count / 2] / kept[kept.Count / 2]:0.0}×; same evaluation: {(fromEvents.EvaluationId == fromFacts.EvaluationId ? "yes" : "NO")} ({fromFacts.EvaluationId}); working set peak {peak / 1_048_576:N0} MB.");
        return fromEvents.EvaluationId == fromFacts.EvaluationId ? 0 : 1;
    }

    /// <summary>
    /// <c>bench pipeline</c>'s roster and full export (grade 1-3 events, random attribution, random subject order),
    /// dropped into the inbox and ingested as the blob trigger would.
    /// </summary>
    private static async Task SeedAsync(SafetyStore store, IngestAdverseEventExport ingest, int events, int subjects, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("safety-bench-evaluate-");
        try
        {
            var roster = Path.Combine(folder.FullName, "roster.csv");
            var export = Path.Combine(folder.FullName, "ae-export.csv");
            BenchPipelineCommand.WriteRoster(roster, subjects);
            BenchPipelineCommand.WriteExport(export, events, subjects, reversed: false);
            foreach (var (name, path) in new[] { ("bench/roster.csv", roster), ("edc/bench-evaluate.csv", export) })
            {
                await store.Inbox.GetBlobClient(name).UploadAsync(path, overwrite: true, cancellationToken);
                var outcome = await ingest.RunAsync(name, cancellationToken);
                if (outcome.Status != IngestStatus.Processed)
                {
                    throw new InvalidOperationException($"{name} was not processed: {outcome.Status} {outcome.Report?.FileError}");
                }
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static string F(double seconds) => seconds.ToString("0.00", CultureInfo.InvariantCulture);
}
