using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Azure.Core;
using Azure.Data.Tables;
using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Core.Stopping;
using Camrelizumab.Safety.Core.Ingest;
using Camrelizumab.Safety.Core.Tabular;
using Camrelizumab.Safety.Core.Text;
using Camrelizumab.Safety.Runner.CommandLine;
using Camrelizumab.Safety.Runner.Hosting;
using Camrelizumab.Safety.Storage.Local;
using Camrelizumab.Safety.Storage.Pipeline;
using Camrelizumab.Safety.Storage.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Camrelizumab.Safety.Runner.Commands;

/// <summary>
/// <c>safety bench pipeline</c>: on its own in-memory Azurite and maildev, times the storage floor (the export's
/// entities upserted directly, batches of at most 100 of one partition, 8 at a time) and then the real ingest of the
/// same export dropped into <c>ae-inbox</c> and picked up by the runner's inbox watcher, a re-drop of the same rows in
/// another order, and the time from dropping a one-row file with a treatment-related death to its expedited email
/// arriving at the SMTP server.
/// </summary>
/// <remarks>Timings are printed, never asserted in tests. Run from a Release build for figures worth quoting.</remarks>
internal static class BenchPipelineCommand
{
    private const string Source = "edc";

    private static readonly string[] Terms =
    [
        "Pneumonitis", "Anemia", "Diarrhea", "Fatigue", "Rash maculo-papular", "Hypothyroidism", "Esophagitis", "Nausea",
        "Neutrophil count decreased", "Alanine aminotransferase increased", "Fever", "Dysphagia", "Cough", "Platelet count decreased",
    ];

    public static Command Create()
    {
        var rows = new Option<int>("--rows") { Description = "Rows in the generated full export", DefaultValueFactory = _ => 100_000 };
        var subjects = new Option<int>("--subjects") { Description = "Subjects in the roster (one partition each)", DefaultValueFactory = _ => 2_000 };
        var repeat = new Option<int>("--repeat") { Description = "Runs, each on a fresh Azurite: the floor and the ingest side by side in every run, then the median and range of the floor, the ingest, each run's ratio and the peak memory (and of the re-drop and the alert, unless --ingest-only)", DefaultValueFactory = _ => 1 };
        var ingestOnly = new Option<bool>("--ingest-only") { Description = "Time the floor and the first ingest only: no scan, re-drop or alert (Azurite answers a whole-table read in time that grows with the square of the table, so at 1,000,000 rows those take hours)" };
        var aeIds = new Option<string>("--ae-ids") { Description = "How the export numbers its AEs: 'file' (one number per row through the file) or 'subject' (1, 2, 3... within each subject, as SDTM's AESEQ, so the same AE ids recur in every partition)", DefaultValueFactory = _ => "file" };
        aeIds.AcceptOnlyFromAmong("file", "subject");
        var command = new Command("pipeline", "Time ingest through storage against the storage floor, a re-drop, and drop-to-alert latency, on a private Azurite.") { rows, subjects, repeat, ingestOnly, aeIds };
        command.SetAction((parse, ct) =>
        {
            var n = parse.GetValue(rows);
            var s = parse.GetValue(subjects);
            var r = parse.GetValue(repeat);
            if (n < 1 || s < 1 || r < 1)
            {
                var (name, value) = n < 1 ? ("--rows", n) : s < 1 ? ("--subjects", s) : ("--repeat", r);
                throw new InputError($"{name} {value}: must be at least 1.");
            }

            return RunAsync(n, s, r, parse.GetValue(ingestOnly), parse.GetValue(aeIds) == "subject", ct);
        });
        return command;
    }

    private static async Task<int> RunAsync(int rows, int subjects, int repeat, bool ingestOnly, bool perSubject, CancellationToken cancellationToken)
    {
        var runs = new List<Run>();
        for (var i = 1; i <= repeat; i++)
        {
            if (repeat > 1)
            {
                Console.WriteLine(FormattableString.Invariant($"run {i} of {repeat}"));
            }

            runs.Add(await RunOnceAsync(rows, subjects, ingestOnly, perSubject, cancellationToken));
        }

        if (repeat > 1)
        {
            Console.WriteLine(FormattableString.Invariant($"{repeat} runs, median (min-max):"));
            Console.WriteLine($"  floor    {Spread(runs.Select(r => r.Floor.TotalSeconds), "0.0")} s");
            Console.WriteLine($"  ingest   {Spread(runs.Select(r => r.Ingest.TotalSeconds), "0.0")} s");
            Console.WriteLine($"  ratio    {Spread(runs.Select(r => r.Ingest / r.Floor), "0.00")}   ingest/floor, each run's own pair");
            Console.WriteLine($"  memory   {Spread(runs.Select(r => r.PeakBytes / 1048576.0), "0")} MB peak");
            if (!ingestOnly)
            {
                Console.WriteLine($"  re-drop  {Spread(runs.Select(r => r.Redrop!.Value / r.Ingest), "0.00")} of the first ingest");
                Console.WriteLine($"  alert    {Spread(runs.Select(r => r.Alert!.Value.TotalSeconds), "0.0")} s");
            }
        }

        return SafetyCommandLine.Ok;
    }

    /// <summary>One run's figures: the floor and the ingest, and unless ingest-only the re-drop and the alert.</summary>
    private sealed record Run(TimeSpan Floor, TimeSpan Ingest, long PeakBytes, TimeSpan? Redrop, TimeSpan? Alert);

    /// <summary>"median (min-max)" of a run's figure.</summary>
    internal static string Spread(IEnumerable<double> values, string format)
    {
        var sorted = values.Order().ToList();
        var median = sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
        return string.Create(CultureInfo.InvariantCulture, $"{median.ToString(format, CultureInfo.InvariantCulture)} ({sorted[0].ToString(format, CultureInfo.InvariantCulture)}-{sorted[^1].ToString(format, CultureInfo.InvariantCulture)})");
    }

    private static async Task<Run> RunOnceAsync(int rows, int subjects, bool ingestOnly, bool perSubject, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("safety-bench-pipeline-");
        try
        {
            var roster = Path.Combine(folder.FullName, "roster.csv");
            var export = Path.Combine(folder.FullName, "ae-export.csv");
            var redrop = Path.Combine(folder.FullName, "ae-export-reordered.csv");
            WriteRoster(roster, subjects);
            WriteExport(export, rows, subjects, reversed: false, perSubject);
            if (!ingestOnly)
            {
                WriteExport(redrop, rows, subjects, reversed: true, perSubject);
            }

            Console.WriteLine(FormattableString.Invariant($"safety bench pipeline: {rows:N0} AE rows ({new FileInfo(export).Length / 1048576.0:0.0} MB CSV, full export of source '{Source}'), {subjects:N0} subjects, AE ids numbered {(perSubject ? "within each subject" : "through the file")}; {Environment.ProcessorCount} cores; {(IsRelease() ? "Release" : "Debug")} build"));

            var stages = new StageClock();
            var requests = new RequestTally();
            await using var azurite = await AzuriteProcess.StartAsync(location: null, install: true, cancellationToken);
            await using var maildev = await MaildevProcess.StartAsync(install: true, cancellationToken);
            await using var runtime = await SafetyRuntime.StartAsync(
                new Dictionary<string, string?>
                {
                    ["Storage:ConnectionString"] = azurite.ConnectionString,
                    ["Mail:Smtp:Host"] = "127.0.0.1",
                    ["Mail:Smtp:Port"] = maildev.SmtpPort.ToString(CultureInfo.InvariantCulture),
                    ["Mail:Smtp:Security"] = "None",
                },
                LogLevel.Warning,
                cancellationToken,
                configure: services =>
                {
                    services.AddSingleton<IngestProbe>(stages);
                    var tables = new TableClientOptions();
                    tables.AddPolicy(requests, HttpPipelinePosition.PerCall);
                    services.AddSingleton(new TableServiceClient(azurite.ConnectionString, tables));
                });

            var (floor, floorUsage) = await FloorAsync(runtime, azurite, export, scan: !ingestOnly, cancellationToken);
            Console.WriteLine(FormattableString.Invariant($"floor    {floor.TotalSeconds,8:0.0} s  {rows / floor.TotalSeconds,8:N0} rows/s   the same entities upserted directly: batches of <= 100 of one partition, {AdverseEventTable.Parallelism} at a time (table then dropped)"));

            // What the floor left behind is returned to the system first, so the peak measured is the ingest's.
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            ResetPeakMemory();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var done = new ConcurrentDictionary<string, TaskCompletionSource<IngestOutcome>>(StringComparer.Ordinal);
            var loops = Task.WhenAll(WatchAsync(runtime, done, stop.Token), DeliverAsync(runtime, stop.Token));
            try
            {
                await DropAsync(runtime, done, "roster.csv", roster, cancellationToken);
                stages.Restart();
                requests.Reset();
                var ingestClock = UsageClock.Start(azurite);
                var (ingest, first) = await DropAsync(runtime, done, $"{Source}/ae-export.csv", export, cancellationToken);
                var ingestUsage = ingestClock.Elapsed();
                var split = stages.Split();
                var peak = PeakMemoryBytes();
                Console.WriteLine(FormattableString.Invariant($"ingest   {ingest.TotalSeconds,8:0.0} s  {rows / ingest.TotalSeconds,8:N0} rows/s   dropped into ae-inbox to processed (runner's watcher); ingest/floor = {ingest / floor:0.00}; {Changes(first)}"));
                Console.WriteLine($"  stages   {split}");
                Console.WriteLine($"  requests {requests.Summary(rows)}");
                Console.WriteLine(FormattableString.Invariant($"cpu      floor: this process {floorUsage.Own.TotalSeconds:0.0} s, Azurite {floorUsage.Azurite.TotalSeconds:0.0} s; ingest: this process {ingestUsage.Own.TotalSeconds:0.0} s ({ingestUsage.Own.TotalMicroseconds / rows:0} us/row), Azurite {ingestUsage.Azurite.TotalSeconds:0.0} s ({ingestUsage.Azurite.TotalMicroseconds / rows:0} us/row)"));
                Console.WriteLine(FormattableString.Invariant($"alloc    floor: {floorUsage.Allocated / 1048576.0:N0} MB allocated by this process ({(double)floorUsage.Allocated / rows:N0} B/row), {floorUsage.Collections:N0} collections; ingest: {ingestUsage.Allocated / 1048576.0:N0} MB ({(double)ingestUsage.Allocated / rows:N0} B/row), {ingestUsage.Collections:N0} collections"));
                Console.WriteLine(FormattableString.Invariant($"memory   {peak / 1048576.0,8:0} MB peak working set of this process during ingest (VmHWM)"));
                if (ingestOnly)
                {
                    return new Run(floor, ingest, peak, null, null);
                }

                stages.Restart();
                requests.Reset();
                var (again, second) = await DropAsync(runtime, done, $"{Source}/ae-export-reordered.csv", redrop, cancellationToken);
                Console.WriteLine(FormattableString.Invariant($"re-drop  {again.TotalSeconds,8:0.0} s  {again / ingest:0.00} of the first ingest   the same rows in reverse order (another file); {Changes(second)}"));
                Console.WriteLine($"  stages   {stages.Split()}");
                Console.WriteLine($"  requests {requests.Summary(rows)}");

                var latency = await DropToAlertAsync(runtime, maildev, cancellationToken);
                Console.WriteLine(FormattableString.Invariant($"alert    {latency.TotalSeconds,8:0.0} s  from dropping a one-row file with a treatment-related death to its expedited email at the SMTP server ({rows:N0} events stored; poll every {runtime.Options.PollSeconds:0.#} s)"));
                return new Run(floor, ingest, peak, again, latency);
            }
            finally
            {
                await stop.CancelAsync();
                await loops;
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The export read as ingest reads it, then its entities upserted to a table of their own: only the upserts are timed.</summary>
    private static async Task<(TimeSpan Elapsed, Usage Usage)> FloorAsync(SafetyRuntime runtime, AzuriteProcess azurite, string export, bool scan, CancellationToken cancellationToken)
    {
        var services = runtime.Services;
        var profile = services.GetRequiredService<SourceProfiles>().For($"{Source}/ae-export.csv");
        await using var spill = new EventSpill(new IngestOptions().WriteChunkRows);
        var readClock = UsageClock.Start(azurite);
        var reading = Stopwatch.StartNew();
        using (var table = TabularFile.Open(File.OpenRead(export), "ae-export.csv", profile.Sheet))
        using (var index = new FileEventIndex())
        {
            var reader = ExportReader.Open(table, "ae-export.csv", "floor", services.GetRequiredService<SafetyRules>(), services.GetRequiredService<CtcaeDictionary>(), profile, index: index);
            foreach (var row in reader.ReadRows())
            {
                if (row is RowResult.AcceptedEvent e)
                {
                    spill.Add(e.Event);
                }
            }
        }

        var readAllocated = readClock.Elapsed().Allocated;
        Console.WriteLine(FormattableString.Invariant($"read     {reading.Elapsed.TotalSeconds,8:0.0} s  {spill.Count / reading.Elapsed.TotalSeconds,8:N0} rows/s   the export read, coded and spilled to disk as ingest does it, without storage (part of the ingest below); {(double)readAllocated / Math.Max(1, spill.Count):N0} B/row allocated"));
        await using var floor = await FloorTable.CreateAsync(azurite.ConnectionString, "BenchFloor", cancellationToken);
        var clock = UsageClock.Start(azurite);
        var elapsed = await floor.UpsertAsync(spill, cancellationToken);
        var used = clock.Elapsed();
        if (!scan)
        {
            return (elapsed, used);
        }

        var (scanned, scanning) = await floor.ScanAsync(cancellationToken);
        Console.WriteLine(FormattableString.Invariant($"scan     {scanning.TotalSeconds,8:0.0} s  {scanned / scanning.TotalSeconds,8:N0} rows/s   the floor's {scanned:N0} entities read back by one query of the whole table (what a re-drop reading the stored events would read)"));
        return (elapsed, used);
    }

    /// <summary>Uploads a file into ae-inbox and waits for the watcher to finish it: the time from the drop, and the outcome.</summary>
    private static async Task<(TimeSpan Elapsed, IngestOutcome Outcome)> DropAsync(
        SafetyRuntime runtime, ConcurrentDictionary<string, TaskCompletionSource<IngestOutcome>> done, string name, string path, CancellationToken cancellationToken)
    {
        var finished = done.GetOrAdd(name, _ => new TaskCompletionSource<IngestOutcome>(TaskCreationOptions.RunContinuationsAsynchronously));
        var watch = Stopwatch.StartNew();
        await runtime.Store.Inbox.GetBlobClient(name).UploadAsync(path, overwrite: true, cancellationToken);
        var outcome = await finished.Task.WaitAsync(cancellationToken);
        var elapsed = watch.Elapsed;
        if (outcome.Status != IngestStatus.Processed)
        {
            throw new InvalidOperationException($"{name} was not processed: {outcome.Status} {outcome.Report?.FileError}");
        }

        return (elapsed, outcome);
    }

    private static async Task<TimeSpan> DropToAlertAsync(SafetyRuntime runtime, MaildevProcess maildev, CancellationToken cancellationToken)
    {
        var before = (await maildev.MessagesAsync(cancellationToken)).Count;
        var text = "subject_id,ae_id,verbatim_term,ctcae_term,grade,serious,related_camrelizumab,related_radiotherapy,onset_date,outcome\n" +
                   $"{SubjectId(0)},BENCH-DEATH-1,Pneumonitis,Pneumonitis,5,Y,Y,N,2026-11-01,FATAL\n";
        var watch = Stopwatch.StartNew();
        await runtime.Store.Inbox.GetBlobClient("bench/death.csv").UploadAsync(BinaryData.FromString(text), overwrite: true, cancellationToken);
        while (true)
        {
            var messages = await maildev.MessagesAsync(cancellationToken);
            if (messages.Skip(before).Any(m => m.TryGetProperty("subject", out var subject) && (subject.GetString() ?? "").Contains("EXPEDITED", StringComparison.Ordinal)))
            {
                return watch.Elapsed;
            }

            if (watch.Elapsed > TimeSpan.FromMinutes(10))
            {
                throw new InvalidOperationException("No expedited email arrived within 10 minutes of the drop.");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>The runner's inbox watcher, polling as <c>safety run</c> does.</summary>
    private static async Task WatchAsync(SafetyRuntime runtime, ConcurrentDictionary<string, TaskCompletionSource<IngestOutcome>> done, CancellationToken cancellationToken)
    {
        using var ticks = new PeriodicTimer(TimeSpan.FromSeconds(runtime.Options.PollSeconds));
        try
        {
            do
            {
                foreach (var outcome in await runtime.Watcher.PollAsync(cancellationToken))
                {
                    done.GetOrAdd(outcome.BlobName, _ => new TaskCompletionSource<IngestOutcome>(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(outcome);
                }
            }
            while (await ticks.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The outbox delivered in a loop of its own, as <c>safety run</c> does.</summary>
    private static async Task DeliverAsync(SafetyRuntime runtime, CancellationToken cancellationToken)
    {
        using var ticks = new PeriodicTimer(TimeSpan.FromSeconds(runtime.Options.PollSeconds));
        try
        {
            do
            {
                await runtime.Outbox.DeliverDueAsync(cancellationToken);
            }
            while (await ticks.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// What a phase used: CPU time of this process and of the emulator (on a machine where both compete for the same
    /// cores, what each side costs, and whether this process's cost a row stays flat as rows grow when the emulator's
    /// does not), and the bytes this process allocated and its gen-0 collections.
    /// </summary>
    private readonly record struct Usage(TimeSpan Own, TimeSpan Azurite, long Allocated, int Collections)
    {
        public static Usage Now(AzuriteProcess azurite) =>
            new(Process.GetCurrentProcess().TotalProcessorTime, azurite.ProcessorTime, GC.GetTotalAllocatedBytes(precise: true), GC.CollectionCount(0));
    }

    /// <summary>Measures the <see cref="Usage"/> of a phase from <see cref="Start"/> to <see cref="Elapsed"/>.</summary>
    private readonly record struct UsageClock(AzuriteProcess Azurite, Usage Started)
    {
        public static UsageClock Start(AzuriteProcess azurite) => new(azurite, Usage.Now(azurite));

        public Usage Elapsed()
        {
            var now = Usage.Now(Azurite);
            return new Usage(now.Own - Started.Own, now.Azurite - Started.Azurite, now.Allocated - Started.Allocated, now.Collections - Started.Collections);
        }
    }

    /// <summary>When each ingest stage was first reached after <see cref="Restart"/> (the drop): where the ingest's time goes.</summary>
    private sealed class StageClock : IngestProbe
    {
        private readonly ConcurrentDictionary<IngestStage, TimeSpan> _reached = new();
        private long _started = Stopwatch.GetTimestamp();

        public void Restart()
        {
            _reached.Clear();
            _started = Stopwatch.GetTimestamp();
        }

        public override ValueTask ReachedAsync(IngestStage stage, CancellationToken cancellationToken)
        {
            _reached.TryAdd(stage, Stopwatch.GetElapsedTime(_started));
            return ValueTask.CompletedTask;
        }

        /// <summary>Seconds from the drop to the first time each stage was reached, in stage order.</summary>
        public string Split() => string.Join("  ", _reached.OrderBy(r => r.Value).Select(r => FormattableString.Invariant($"{KebabCase.Name(r.Key)} {r.Value.TotalSeconds:0.0} s")));
    }

    private static string Changes(IngestOutcome outcome) => outcome.Report?.Changes is { } c
        ? FormattableString.Invariant($"{c.Inserted:N0} inserted, {c.Updated:N0} updated, {c.Unchanged:N0} unchanged, {c.Deleted:N0} deleted")
        : "no changes reported";

    internal static void WriteRoster(string path, int subjects)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        writer.Write("subject_id,arm,first_dose_date\n");
        for (var i = 0; i < subjects; i++)
        {
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"{SubjectId(i)},{(i % 2 == 0 ? "CAM" : "CAMRT")},2026-01-05\n"));
        }
    }

    /// <summary>
    /// A full export in the EDC source's columns: row i is a function of i alone, so the re-drop holds the same rows in
    /// reverse order. Non-serious grade 1-3 events in random subject order (no row raises an expedited alert). AE ids
    /// number the rows, or with <paramref name="perSubject"/> each subject's rows in file order from 1.
    /// </summary>
    internal static void WriteExport(string path, int rows, int subjects, bool reversed, bool perSubject = false)
    {
        // Per subject, row i's AE id is how many of rows 0 to i that subject has, whichever order they are written in.
        int[]? perSubjectIds = null;
        if (perSubject)
        {
            perSubjectIds = new int[rows];
            var counts = new int[subjects];
            for (var i = 0; i < rows; i++)
            {
                perSubjectIds[i] = ++counts[SubjectOf(Mix((ulong)i), subjects)];
            }
        }

        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        writer.Write("PATNO,AENUM,AETXT,CTCTERM,CTCGR,SAEYN,RELCAM,RELRT,STDAT,ENDAT,OUTC\n");
        for (var k = 0; k < rows; k++)
        {
            var i = reversed ? rows - 1 - k : k;
            var h = Mix((ulong)i);
            var term = Terms[(int)(h % (ulong)Terms.Length)];
            var onset = new DateOnly(2026, 1, 10).AddDays((int)((h >> 8) % 280));
            var resolved = (h >> 20) % 3 != 0;
            writer.Write(string.Create(CultureInfo.InvariantCulture,
                $"{SubjectId(SubjectOf(h, subjects))},{perSubjectIds?[i] ?? i + 1},{term},{term},{1 + (int)((h >> 16) % 3)},N,{((h >> 24) % 2 == 0 ? 'Y' : 'N')},N,{onset:yyyy-MM-dd},{(resolved ? onset.AddDays(14).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "")},{(resolved ? "RECOVERED/RESOLVED" : "NOT RECOVERED/NOT RESOLVED")}\n"));
        }
    }

    /// <summary>The subject (0 to <paramref name="subjects"/> - 1) of the row whose hash is <paramref name="h"/>.</summary>
    private static int SubjectOf(ulong h, int subjects) => (int)((h >> 32) % (ulong)subjects);

    private static string SubjectId(int i) => string.Create(CultureInfo.InvariantCulture, $"BJ{i / 500:D2}-{i:D5}");

    /// <summary>SplitMix64's finalizer: a well-spread hash of the row number.</summary>
    private static ulong Mix(ulong x)
    {
        unchecked
        {
            x += 0x9E3779B97F4A7C15;
            x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9;
            x = (x ^ (x >> 27)) * 0x94D049BB133111EB;
            return x ^ (x >> 31);
        }
    }

    private static bool IsRelease() =>
        typeof(BenchPipelineCommand).Assembly.GetCustomAttributes(typeof(DebuggableAttribute), false) is not [DebuggableAttribute { IsJITOptimizerDisabled: true }];

    /// <summary>Resets the kernel's peak-RSS mark of this process (Linux: <c>/proc/self/clear_refs</c>), so the peak measured is the ingest's.</summary>
    private static void ResetPeakMemory()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not Linux, or not allowed: the peak then covers the floor phase too.
        }
    }

    private static long PeakMemoryBytes()
    {
        var line = File.Exists("/proc/self/status") ? File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)) : null;
        return line is not null && long.TryParse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture, out var kb)
            ? kb * 1024
            : Process.GetCurrentProcess().PeakWorkingSet64;
    }
}
