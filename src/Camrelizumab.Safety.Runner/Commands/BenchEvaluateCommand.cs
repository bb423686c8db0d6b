using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Camrelizumab.Safety.Core.AdverseEvents;
using Camrelizumab.Safety.Core.Aggregation;
using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Core.Stopping;
using Camrelizumab.Safety.Core.Subjects;
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
/// Seeds its own tables (a name suffix per seed, reused with <c>--suffix</c>) with a generated roster and events written
/// straight to the AE table, then rebuilds the facts once from the events (the path a rules change takes). Timings are
/// printed, never asserted; run a Release build against Azurite or an account.
/// </remarks>
internal static class BenchEvaluateCommand
{
    private static readonly string[] Terms =
        ["Esophageal fistula", "Pneumonitis", "Anemia", "Esophagitis", "Fatigue", "Hypothyroidism", "Colitis", "Pruritus", "Diarrhea", "Nausea", "Rash maculo-papular", "Decreased appetite"];

    public static Command Create()
    {
        var events = new Option<int>("--events") { Description = "Stored events to evaluate", DefaultValueFactory = _ => 100_000 };
        var subjects = new Option<int>("--subjects") { Description = "Subjects in the roster", DefaultValueFactory = _ => 2_000 };
        var suffix = new Option<string?>("--suffix") { Description = "Reuse the tables an earlier run seeded (their name suffix, printed by that run; at most 12 lower-case letters or digits)" };
        var repeat = new Option<int>("--repeat") { Description = "Timed runs of each path (the median is reported)", DefaultValueFactory = _ => 3 };
        var command = new Command("evaluate", "Time an evaluation on the kept per-subject facts against a full recompute from every stored event.")
        {
            events, subjects, suffix, repeat,
        };
        var storage = new StorageTarget.Choice(command);
        command.SetAction((parse, ct) =>
        {
            var runSuffix = parse.GetValue(suffix) ?? $"be{DateTime.UtcNow:HHmmss}";
            return StorageCommand.WithRuntimeAsync(
                storage.Resolve(parse),
                new Dictionary<string, string?> { ["Storage:NameSuffix"] = runSuffix },
                runtime => RunAsync(runtime, runSuffix, parse.GetValue(events), parse.GetValue(subjects), parse.GetValue(repeat), ct),
                ct);
        });
        return command;
    }

    private static async Task<int> RunAsync(SafetyRuntime runtime, string suffix, int events, int subjects, int repeat, CancellationToken cancellationToken)
    {
        var store = runtime.Services.GetRequiredService<SafetyStore>();
        var rules = runtime.Services.GetRequiredService<SafetyRules>();
        var snapshot = runtime.Services.GetRequiredService<SnapshotReader>();
        var console = AnsiConsole.Console;
        var asOf = new DateOnly(2026, 11, 24);
        console.MarkupLineInterpolated($"Tables with suffix {suffix}; {events:N0} events over {subjects:N0} subjects.");

        var stored = (await store.Subjects.ReadAllAsync(rules.Study, cancellationToken)).Count;
        if (stored == 0)
        {
            var seed = Stopwatch.StartNew();
            await SeedAsync(store, rules.Study, events, subjects, cancellationToken);
            console.MarkupLineInterpolated($"Seeded in {seed.Elapsed.TotalSeconds:0.0} s ({events / seed.Elapsed.TotalSeconds:N0} events/s).");
        }

        var rebuild = Stopwatch.StartNew();
        var rebuilt = await snapshot.Facts.RebuildAsync(cancellationToken);
        console.MarkupLineInterpolated($"Facts rebuilt from every event in {rebuild.Elapsed.TotalSeconds:0.0} s ({rebuilt:N0} rows written).");

        var full = new List<double>();
        var kept = new List<double>();
        SafetyEvaluation? fromEvents = null;
        SafetyEvaluation? fromFacts = null;
        var peak = 0L;
        for (var i = 0; i < repeat; i++)
        {
            var watch = Stopwatch.StartNew();
            fromEvents = (await snapshot.ReadAsync(asOf, cancellationToken)).Evaluation;
            full.Add(watch.Elapsed.TotalSeconds);
            watch.Restart();
            fromFacts = await snapshot.EvaluateAsync(asOf, cancellationToken);
            kept.Add(watch.Elapsed.TotalSeconds);
            peak = Math.Max(peak, Environment.WorkingSet);
        }

        full.Sort();
        kept.Sort();
        var counted = fromEvents!.Summary.Arms.Sum(a => a.Events) + fromEvents.Summary.EventsWithoutRosterSubject;
        var table = new Table().AddColumns("Path", "Reads", "Median s", "Min s", "Max s");
        table.AddRow("full recompute (every event)", $"{counted:N0} events", F(full[full.Count / 2]), F(full[0]), F(full[^1]));
        table.AddRow("kept facts (timer)", $"{subjects:N0} subjects", F(kept[kept.Count / 2]), F(kept[0]), F(kept[^1]));
        console.Write(table);
        console.MarkupLineInterpolated($"Speed-up {full[full.Count / 2] / kept[kept.Count / 2]:0.0}×; same evaluation: {(fromEvents.EvaluationId == fromFacts!.EvaluationId ? "yes" : "NO")} ({fromFacts.EvaluationId}); working set peak {peak / 1_048_576:N0} MB.");
        return fromEvents.EvaluationId == fromFacts.EvaluationId ? 0 : 1;
    }

    /// <summary>A roster over both arms and random events (terms, grades, attributions, onsets), written in parallel by subject.</summary>
    private static async Task SeedAsync(SafetyStore store, string study, int events, int subjects, CancellationToken cancellationToken)
    {
        var random = new Random(16_003);
        var roster = Enumerable.Range(1, subjects)
            .Select(i => new Subject(study, $"S{i:D6}", i % 2 == 0 ? "CAM" : "CAMRT", new DateOnly(2026, 1, 1).AddDays(i % 300), new DateOnly(2026, 1, 3).AddDays(i % 300)))
            .ToList();
        await store.Subjects.UpsertAsync(roster, cancellationToken);
        var all = new List<AdverseEvent>(events);
        for (var i = 0; i < events; i++)
        {
            var subject = roster[random.Next(subjects)];
            var term = CtcaeDictionary.V5.Find(Terms[random.Next(Terms.Length)]);
            all.Add(new AdverseEvent
            {
                StudyId = study,
                SubjectId = subject.SubjectId,
                AeId = i.ToString(CultureInfo.InvariantCulture),
                VerbatimTerm = term?.Name,
                Term = term,
                Grade = new CtcaeGrade(random.Next(20) == 0 ? 3 + random.Next(3) : 1 + random.Next(2)),
                Serious = random.Next(10) == 0,
                RelatedToCamrelizumab = random.Next(3) == 0,
                RelatedToRadiotherapy = subject.Arm == "CAMRT" ? random.Next(3) == 0 : null,
                Onset = PartialDate.From(subject.FirstDoseDate!.Value.AddDays(random.Next(200))),
                Source = new SourceReference("bench.csv", "bench", i + 2),
                Origin = "bench",
            });
        }

        var at = DateTimeOffset.UtcNow;
        await Parallel.ForEachAsync(
            all.GroupBy(e => e.SubjectId, StringComparer.Ordinal),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (subject, ct) => await store.AdverseEvents.UpsertAsync(subject, at, at, ct));
    }

    private static string F(double seconds) => seconds.ToString("0.00", CultureInfo.InvariantCulture);
}
