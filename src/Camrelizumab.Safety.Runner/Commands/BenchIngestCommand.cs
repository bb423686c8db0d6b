using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;

namespace Camrelizumab.Safety.Runner.Commands;

/// <summary>
/// <c>safety bench ingest</c>: generates a flat AE export (default 1,000,000 rows) and a roster, then times
/// <c>safety summarize</c> and the same aggregates in pandas as whole processes, start-up included, and compares their
/// results. Peak memory is what each process reports for itself (the .NET peak working set; Python's ru_maxrss).
/// </summary>
/// <remarks>Timings are printed, never asserted in tests. Run from a Release build for figures worth quoting.</remarks>
internal static class BenchIngestCommand
{
    private static readonly string[] Terms =
    [
        "Pneumonitis", "Anemia", "Anaemia", "Diarrhea", "Fatigue", "Rash maculo-papular", "Hypothyroidism", "Esophagitis", "Oesophagitis",
        "Nausea", "Neutrophil count decreased", "ALT increased", "RCCEP", "Pyrexia", "Dysphagia", "Cough", "放射性食管炎", "Stomatitis",
        "Thrombocytopenia", "Pneumonia",
    ];

    public static Command Create()
    {
        var rows = new Option<int>("--rows") { Description = "Rows in the generated AE export", DefaultValueFactory = _ => 1_000_000 };
        var subjects = new Option<int>("--subjects") { Description = "Subjects in the generated roster", DefaultValueFactory = _ => 2_000 };
        var dir = new Option<DirectoryInfo?>("--dir") { Description = "Where to write the files (default: a temp folder); existing files of the same size are reused" };
        var repeat = new Option<int>("--repeat") { Description = "Timed runs of each program (the median is reported)", DefaultValueFactory = _ => 3 };
        var python = new Option<string>("--python") { Description = "The Python with pandas (default: Debian's /usr/bin/python3 where present, which python3-pandas installs into)", DefaultValueFactory = _ => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3" };
        var command = new Command("ingest", "Time safety summarize against pandas on a generated 1,000,000-row export, as whole processes.") { rows, subjects, dir, repeat, python };
        command.SetAction(parse =>
        {
            var folder = parse.GetValue(dir) ?? new DirectoryInfo(Path.Combine(Path.GetTempPath(), "safety-bench-ingest"));
            folder.Create();
            var (subjectsFile, eventsFile) = Generate(folder.FullName, parse.GetValue(rows), parse.GetValue(subjects));
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
            // Runs alternate (ours, pandas, ours, …) so that a noisy neighbour slows both alike.
            var oursRuns = new List<Run>();
            var theirsRuns = new List<Run>();
            for (var i = 0; i < Math.Max(1, parse.GetValue(repeat)); i++)
            {
                oursRuns.Add(RunOnce(self, [.. selfArgs, "summarize", "--subjects", subjectsFile, "--events", eventsFile, "--terms", "export", "--json"], new() { ["SAFETY_REPORT_PEAK_MEMORY"] = "1" }));
                theirsRuns.Add(RunOnce(parse.GetValue(python)!, [script, subjectsFile, eventsFile], []));
            }

            var ours = Summarize(oursRuns);
            var theirs = Summarize(theirsRuns);
            var agree = Compare(ours.Output, theirs.Output, out var difference);

            var n = (double)parse.GetValue(rows);
            var table = new Table().AddColumns("Program", "Median wall s", "Min s", "Max s", "Rows/s (median)", "Peak memory MB");
            foreach (var (name, r) in new[] { ("safety summarize", ours), ("pandas", theirs) })
            {
                table.AddRow(name, F(r.Median), F(r.Min), F(r.Max), (n / r.Median).ToString("N0", CultureInfo.InvariantCulture), (r.PeakBytes / 1048576.0).ToString("0", CultureInfo.InvariantCulture));
            }

            AnsiConsole.Write(table);
            Console.WriteLine(FormattableString.Invariant($"{n:N0} rows, {new FileInfo(eventsFile).Length / 1048576.0:0.0} MB; safety summarize is {theirs.Median / ours.Median:0.0}x faster than pandas by median ({theirs.Min / ours.Min:0.0}x by fastest run); per-arm results {(agree ? "agree" : "DIFFER: " + difference)}."));
            return agree ? 0 : 1;
        });
        return command;
    }

    /// <summary>A roster in two arms and an export with realistic spread: English, British, Chinese and shorthand terms.</summary>
    private static (string Subjects, string Events) Generate(string folder, int rows, int subjects)
    {
        var subjectsFile = Path.Combine(folder, $"roster-{subjects}.csv");
        var eventsFile = Path.Combine(folder, $"ae-{rows}.csv");
        var random = new Random(20261124);
        using (var writer = new StreamWriter(subjectsFile, false, new UTF8Encoding(false)))
        {
            writer.Write("subject_id,arm\n");
            for (var i = 0; i < subjects; i++)
            {
                writer.Write(string.Create(CultureInfo.InvariantCulture, $"BJ{i / 500:D2}-{i:D5},{(i % 2 == 0 ? "CAM" : "CAMRT")}\n"));
            }
        }

        if (new FileInfo(eventsFile) is { Exists: true, Length: > 0 })
        {
            return (subjectsFile, eventsFile);
        }

        using (var writer = new StreamWriter(eventsFile, false, new UTF8Encoding(false), 1 << 16))
        {
            writer.Write("subject_id,ae_id,verbatim_term,grade,serious,related_camrelizumab\n");
            const string grades = "1111122223334";
            for (var i = 0; i < rows; i++)
            {
                var s = random.Next(subjects);
                var grade = grades[random.Next(grades.Length)];
                if (random.Next(2000) == 0)
                {
                    grade = '5';
                }

                writer.Write(string.Create(CultureInfo.InvariantCulture,
                    $"BJ{s / 500:D2}-{s:D5},{i + 1},{Terms[random.Next(Terms.Length)]},{grade},{(random.Next(5) == 0 ? 'Y' : 'N')},{(random.Next(2) == 0 ? 'Y' : 'N')}\n"));
            }
        }

        return (subjectsFile, eventsFile);
    }

    private sealed record Timing(double Median, double Min, double Max, long PeakBytes, string Output);

    private sealed record Run(double Seconds, long PeakBytes, string Output);

    private static Timing Summarize(List<Run> runs)
    {
        var times = runs.Select(r => r.Seconds).Order().ToList();
        return new Timing(times[times.Count / 2], times[0], times[^1], runs.Max(r => r.PeakBytes), runs[^1].Output);
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
        }

        difference = "";
        return true;
    }

    private static string F(double seconds) => seconds.ToString("0.000", CultureInfo.InvariantCulture);
}
