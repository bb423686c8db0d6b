using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Camrelizumab.Safety.Runner.CommandLine;
using System.Text.Json;
using Spectre.Console;

namespace Camrelizumab.Safety.Runner.Commands;

/// <summary>
/// <c>safety bench ingest</c>: generates inputs of several shapes (<see cref="BenchShape"/>), then times
/// <c>safety summarize --terms export</c> and the same aggregates in pandas as whole processes, start-up included, in
/// alternating pairs after one untimed pair, and compares their results. Peak memory is what each process reports for
/// itself (the .NET peak working set; Python's ru_maxrss).
/// </summary>
/// <remarks>Timings are printed, never asserted in tests. Run from a Release build for figures worth quoting.</remarks>
internal static class BenchIngestCommand
{
    public static Command Create()
    {
        var shape = new Option<string>("--shape") { Description = $"Which input shapes: {string.Join(", ", BenchShape.All.Select(s => s.Name))} or all", DefaultValueFactory = _ => "all" };
        var rows = new Option<int?>("--rows") { Description = "Rows in each generated AE export (default: each shape's own)" };
        var dir = new Option<DirectoryInfo?>("--dir") { Description = "Where to write the files (default: a temp folder); files written before are reused" };
        var repeat = new Option<int>("--repeat") { Description = "Timed pairs of runs per shape (medians are reported)", DefaultValueFactory = _ => 5 };
        var python = new Option<string>("--python") { Description = "The Python with pandas (default: Debian's /usr/bin/python3 where present, which python3-pandas installs into)", DefaultValueFactory = _ => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3" };
        var command = new Command("ingest", "Time safety summarize against pandas on generated exports of several shapes, as whole processes.") { shape, rows, dir, repeat, python };
        command.SetAction(parse =>
        {
            var word = parse.GetValue(shape)!;
            var shapes = word.Equals("all", StringComparison.OrdinalIgnoreCase)
                ? BenchShape.All
                : BenchShape.All.Where(s => s.Name.Equals(word, StringComparison.OrdinalIgnoreCase)).ToList() is { Count: > 0 } one
                    ? one
                    : throw new InputError($"--shape {word}: give {string.Join(", ", BenchShape.All.Select(s => s.Name))} or all.");
            if (parse.GetValue(rows) is < 1)
            {
                throw new InputError("--rows: give at least 1.");
            }

            var folder = parse.GetValue(dir) ?? new DirectoryInfo(Path.Combine(Path.GetTempPath(), "safety-bench-ingest"));
            folder.Create();
            var script = Path.Combine(folder.FullName, "summarize_pandas.py");
            using (var resource = typeof(BenchIngestCommand).Assembly.GetManifestResourceStream("Camrelizumab.Safety.Runner.summarize_pandas.py")!)
            using (var file = File.Create(script))
            {
                resource.CopyTo(file);
            }

            var self = Environment.ProcessPath!;
            var selfArgs = self.EndsWith("dotnet", StringComparison.Ordinal) || self.EndsWith("dotnet.exe", StringComparison.Ordinal)
                ? new[] { typeof(BenchIngestCommand).Assembly.Location }
                : [];
            var table = new Table().AddColumns("Shape", "Rows", "MB", "summarize s median (min–max)", "pandas s median (min–max)",
                "pandas ÷ summarize, per pair: median (min–max)", "summarize peak MB", "pandas peak MB", "Results");
            var allAgree = true;
            foreach (var s in shapes)
            {
                var n = parse.GetValue(rows) ?? s.DefaultRows;
                var (subjectsFile, eventsFile) = s.Generate(folder.FullName, n);
                string[] ours = [.. selfArgs, "summarize", "--subjects", subjectsFile, "--events", eventsFile, "--terms", "export", "--json"];
                string[] theirs = [script, subjectsFile, eventsFile, .. s.Pandas];
                // One untimed pair (file cache, JIT caches), then pairs in alternation so a noisy neighbour slows both alike.
                RunOnce(self, ours, PeakMemory);
                RunOnce(parse.GetValue(python)!, theirs, []);
                var pairs = new List<(Run Ours, Run Theirs)>();
                for (var i = 0; i < Math.Max(1, parse.GetValue(repeat)); i++)
                {
                    pairs.Add((RunOnce(self, ours, PeakMemory), RunOnce(parse.GetValue(python)!, theirs, [])));
                }

                var agree = Compare(pairs[^1].Ours.Output, pairs[^1].Theirs.Output, out var difference);
                allAgree &= agree;
                var mine = Summarize([.. pairs.Select(p => p.Ours.Seconds)]);
                var pandas = Summarize([.. pairs.Select(p => p.Theirs.Seconds)]);
                var ratio = Summarize([.. pairs.Select(p => p.Theirs.Seconds / p.Ours.Seconds)]);
                table.AddRow(s.Name, n.ToString("N0", CultureInfo.InvariantCulture), (new FileInfo(eventsFile).Length / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture),
                    $"{F(mine.Median)} ({F(mine.Min)}–{F(mine.Max)})", $"{F(pandas.Median)} ({F(pandas.Min)}–{F(pandas.Max)})",
                    FormattableString.Invariant($"{ratio.Median:0.00}× ({ratio.Min:0.00}–{ratio.Max:0.00})"),
                    Megabytes(pairs.Max(p => p.Ours.PeakBytes)), Megabytes(pairs.Max(p => p.Theirs.PeakBytes)), Markup.Escape(agree ? "agree" : "DIFFER: " + difference));
            }

            Terminal.Write(table);
            foreach (var s in shapes)
            {
                Console.WriteLine($"{s.Name}: {s.Description}.");
            }

            Console.WriteLine(FormattableString.Invariant($"Whole processes, start-up included; {Math.Max(1, parse.GetValue(repeat))} alternating pairs per shape after one untimed pair; peak memory is the largest any run reported."));
            Console.WriteLine($"summarize ran from: {BuildDescription()}.");
            return allAgree ? 0 : 1;
        });
        return command;
    }

    /// <summary>
    /// How this executable was built, which a run of under a second depends on: a Debug build is not optimized, and
    /// without ReadyToRun every method is compiled at start-up.
    /// </summary>
    internal static string BuildDescription()
    {
        var runner = typeof(BenchIngestCommand).Assembly;
        var core = typeof(Core.Summaries.ExportSummarizer).Assembly;
        var optimized = runner.GetCustomAttributes(typeof(DebuggableAttribute), false).OfType<DebuggableAttribute>().All(d => !d.IsJITOptimizerDisabled);
        var precompiled = new[] { runner, core }.Where(IsReadyToRun).Select(a => Path.GetFileName(a.Location)).ToList();
        // A composite publish puts the native code of the app and the framework in one image beside them (*.r2r.dll).
        var composite = Directory.EnumerateFiles(AppContext.BaseDirectory, "*.r2r.dll").Select(Path.GetFileName).FirstOrDefault();
        var selfContained = string.Equals(
            Path.TrimEndingDirectorySeparator(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory()),
            Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory),
            StringComparison.Ordinal);
        return $"{(optimized ? "Release" : "Debug (not optimized)")} build, "
            + (precompiled.Count == 0 ? "JIT-compiled at start-up (no ReadyToRun code)" : $"ReadyToRun ({string.Join(" and ", precompiled)} precompiled)")
            + (composite is null ? "" : $", composite image {composite} (app and framework compiled together)")
            + (selfContained ? ", self-contained" : ", on the shared framework")
            + $", .NET {Environment.Version}, {Environment.ProcessPath}";
    }

    /// <summary>Whether the assembly file carries ReadyToRun native code (a managed native header in its CLI header).</summary>
    private static bool IsReadyToRun(System.Reflection.Assembly assembly)
    {
        if (string.IsNullOrEmpty(assembly.Location))
        {
            return false;
        }

        using var file = File.OpenRead(assembly.Location);
        using var pe = new System.Reflection.PortableExecutable.PEReader(file);
        return pe.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size > 0;
    }

    private static readonly Dictionary<string, string> PeakMemory = new() { ["SAFETY_REPORT_PEAK_MEMORY"] = "1" };

    private static string Megabytes(long bytes) => (bytes / 1048576.0).ToString("0", CultureInfo.InvariantCulture);

    private sealed record Spread(double Median, double Min, double Max);

    private sealed record Run(double Seconds, long PeakBytes, string Output);

    /// <summary>The median (the mean of the middle two for an even count), least and greatest.</summary>
    private static Spread Summarize(double[] values)
    {
        Array.Sort(values);
        var median = values.Length % 2 == 1 ? values[values.Length / 2] : (values[values.Length / 2 - 1] + values[values.Length / 2]) / 2;
        return new Spread(median, values[0], values[^1]);
    }

    private static Run RunOnce(string program, string[] args, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (k, v) in environment)
        {
            start.Environment[k] = v;
        }

        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        var seconds = watch.Elapsed.TotalSeconds;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} exited with {process.ExitCode}: {stderr.Result}");
        }

        var line = stderr.Result.Split('\n').FirstOrDefault(l => l.StartsWith("peak-", StringComparison.Ordinal));
        var peak = line is not null && long.TryParse(line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim(), CultureInfo.InvariantCulture, out var bytes) ? bytes : 0;
        return new Run(seconds, peak, stdout.Result);
    }

    /// <summary>The counts both programs compute must be equal, arm by arm.</summary>
    private static bool Compare(string ours, string theirs, out string difference)
    {
        using var a = JsonDocument.Parse(ours);
        using var b = JsonDocument.Parse(theirs);
        string[] fields = ["subjects", "events", "subjectsWithAnyEvent", "subjectsWithGrade3OrWorse", "subjectsWithGrade4OrWorse", "subjectsWithGrade5", "subjectsWithSerious", "subjectsWithRelated", "subjectsWithFatal"];
        foreach (var arm in b.RootElement.GetProperty("arms").EnumerateObject())
        {
            if (!a.RootElement.GetProperty("arms").TryGetProperty(arm.Name, out var mine))
            {
                difference = $"arm {arm.Name} missing";
                return false;
            }

            foreach (var field in fields)
            {
                if (mine.GetProperty(field).GetInt64() != arm.Value.GetProperty(field).GetInt64())
                {
                    difference = $"{arm.Name} {field}: {mine.GetProperty(field)} vs {arm.Value.GetProperty(field)}";
                    return false;
                }
            }

            for (var g = 1; g <= 5; g++)
            {
                var key = g.ToString(CultureInfo.InvariantCulture);
                if (mine.GetProperty("subjectsByWorstGrade").GetProperty(key).GetInt32() != arm.Value.GetProperty("subjectsByWorstGrade").GetProperty(key).GetInt32())
                {
                    difference = $"{arm.Name} worst grade {key}";
                    return false;
                }
            }

            var ourTop = mine.GetProperty("topTerms").EnumerateArray().Select(TopTerm).ToList();
            var theirTop = arm.Value.GetProperty("topTerms").EnumerateArray().Select(TopTerm).ToList();
            if (!ourTop.SequenceEqual(theirTop))
            {
                difference = $"{arm.Name} top terms: {string.Join("; ", ourTop)} vs {string.Join("; ", theirTop)}";
                return false;
            }
        }

        difference = "";
        return true;
    }

    private static string TopTerm(JsonElement t) =>
        FormattableString.Invariant($"{t.GetProperty("term").GetString()} {t.GetProperty("subjects").GetInt32()} {t.GetProperty("events").GetInt64()}");

    private static string F(double seconds) => seconds.ToString("0.000", CultureInfo.InvariantCulture);
}
