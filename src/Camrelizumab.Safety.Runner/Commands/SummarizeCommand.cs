using System.CommandLine;
using System.Globalization;
using Camrelizumab.Safety.Core.Summaries;
using Camrelizumab.Safety.Core.Tabular;
using Camrelizumab.Safety.Core.Text;
using Camrelizumab.Safety.Runner.CommandLine;
using Spectre.Console;

namespace Camrelizumab.Safety.Runner.Commands;

/// <summary><c>safety summarize</c>: per-arm counts of an AE export against a subject file, offline.</summary>
internal static class SummarizeCommand
{
    public static Command Create()
    {
        var subjects = new Option<FileInfo>("--subjects") { Description = "DM, ADSL or a roster (CSV/TSV, XLSX, XPT, Dataset-JSON/NDJSON, ODM-XML)", Required = true }.MustBeReadable("a subject file (DM, ADSL or a roster)");
        var events = new Option<FileInfo>("--events") { Description = "AE, ADAE or a flat AE export, in any supported format", Required = true }.MustBeReadable("an AE export (AE, ADAE or flat)");
        var arm = new Option<string?>("--arm-column") { Description = "The subject file's arm column (default: TRT01A, ACTARM, ARM or ARMCD, the first present)" };
        var supp = new Option<FileInfo?>("--supplemental") { Description = "SUPPAE, for the AETRTEM treatment-emergent flag of SDTM AE rows" }.MustBeReadable("a SUPPAE file");
        var terms = new Option<string>("--terms") { Description = "ctcae (code to CTCAE v5.0; uncoded rows keep their own term) or export (the export's AEDECOD/AEBODSYS)", DefaultValueFactory = _ => "ctcae" };
        var population = new Option<string>("--population") { Description = "dosed (the safety population: subjects with a first dose, RFXSTDTC) or roster (every subject in an arm, as the pipeline counts)", DefaultValueFactory = _ => "dosed" };
        var serious = new Option<bool>("--serious-only") { Description = "Count serious events only" };
        var top = new Option<int>("--top") { Description = "How many top terms to list per arm", DefaultValueFactory = _ => 10 };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var command = new Command("summarize", "Count an AE export per arm against a subject file: subjects by worst grade, serious, related, fatal, top terms.")
        {
            subjects, events, arm, supp, terms, population, serious, top, json,
        };
        command.SetAction(parse =>
        {
            var termMode = Choose("--terms", parse.GetValue(terms), ("ctcae", SummaryTerms.Ctcae), ("export", SummaryTerms.Export));
            var populationMode = Choose("--population", parse.GetValue(population), ("dosed", SummaryPopulation.Dosed), ("roster", SummaryPopulation.Roster));

            ExportSummary summary;
            var subjectsFile = parse.GetValue(subjects)!;
            var eventsFile = parse.GetValue(events)!;
            try
            {
                using var subjectTable = Open("--subjects", subjectsFile);
                using var eventTable = Open("--events", eventsFile);
                using var suppTable = parse.GetValue(supp) is { } suppFile ? Open("--supplemental", suppFile) : null;
                summary = new ExportSummarizer().Summarize(subjectTable, subjectsFile.Name, eventTable, eventsFile.Name, parse.GetValue(arm), suppTable, termMode, parse.GetValue(serious), parse.GetValue(top), populationMode);
            }
            catch (ExportFormatException e)
            {
                throw new InputError($"{subjectsFile.Name} or {eventsFile.Name}: {Describe(e)}");
            }

            if (Environment.GetEnvironmentVariable("SAFETY_REPORT_PEAK_MEMORY") == "1")
            {
                // For safety bench ingest: the process's own peak, as Python reports ru_maxrss.
                using var self = System.Diagnostics.Process.GetCurrentProcess();
                Console.Error.WriteLine(FormattableString.Invariant($"peak-working-set-bytes: {self.PeakWorkingSet64}"));
            }

            if (parse.GetValue(json))
            {
                // Through Console.Out, so a console in another code page gets the text in its own encoding, as from every command.
                using var text = new MemoryStream();
                SummarizeJson.Write(text, summary);
                Console.WriteLine(System.Text.Encoding.UTF8.GetString(text.GetBuffer(), 0, (int)text.Length));
                return 0;
            }

            var table = new Table().AddColumn("");
            foreach (var name in summary.Arms.Keys)
            {
                table.AddColumn(new TableColumn(Markup.Escape(name)).RightAligned());
            }

            void Row(string label, Func<ArmSummary, string> value) => table.AddRow([label, .. summary.Arms.Values.Select(value)]);
            string Pct(int n, ArmSummary a) => a.Subjects == 0 ? "0" : string.Create(CultureInfo.InvariantCulture, $"{n} ({100.0 * n / a.Subjects:0.0}%)");
            Row("Subjects (N)", a => a.Subjects.ToString(CultureInfo.InvariantCulture));
            Row("Events", a => a.Events.ToString(CultureInfo.InvariantCulture));
            Row("Subjects with any AE", a => Pct(a.SubjectsWithAnyEvent, a));
            for (var g = 1; g <= 5; g++)
            {
                var key = g.ToString(CultureInfo.InvariantCulture);
                Row($"  worst grade {key}", a => Pct(a.SubjectsByWorstGrade[key], a));
            }

            Row("Grade ≥3", a => Pct(a.SubjectsWithGrade3OrWorse, a));
            Row("Grade ≥4", a => Pct(a.SubjectsWithGrade4OrWorse, a));
            Row("Grade 5", a => Pct(a.SubjectsWithGrade5, a));
            Row("Serious", a => Pct(a.SubjectsWithSerious, a));
            Row("Related", a => Pct(a.SubjectsWithRelated, a));
            Row("Fatal", a => Pct(a.SubjectsWithFatal, a));
            Row("AE leading to withdrawal of treatment", a => Pct(a.SubjectsWithAeLeadingToWithdrawal, a));
            Row("AE leading to dose modification/interruption", a => Pct(a.SubjectsWithAeLeadingToDoseModification, a));
            Row("Severe (AESEV) at greatest intensity", a => Pct(a.SubjectsWithSevere, a));
            Row("Deaths (subject file)", a => Pct(a.SubjectsDied, a));
            Terminal.Write(table);
            foreach (var (name, a) in summary.Arms)
            {
                Console.WriteLine($"Top terms, {name}: {string.Join("; ", a.TopTerms.Select(t => $"{t.Term} {t.Subjects}"))}");
            }

            Console.WriteLine(FormattableString.Invariant($"Event rows read {summary.EventRowsRead}: counted {summary.EventsCounted}, outside the population {summary.EventsOutsidePopulation}, not treatment-emergent {summary.EventsNotTreatmentEmergent}, rejected {summary.Rejected}{(parse.GetValue(serious) ? " (non-serious rows skipped)" : "")}."));
            foreach (var r in summary.Rejections.Take(20))
            {
                Console.WriteLine($"  {r.FileName} {r.Line} {r.Column} '{r.RawValue}': {r.ReasonCode}: {r.Message}");
            }

            if (summary.Queries.Count > 0)
            {
                Console.WriteLine(FormattableString.Invariant($"Counted with a query (as ingest stores them): {summary.Queries.Count}."));
                foreach (var q in summary.Queries.Take(20))
                {
                    Console.WriteLine($"  {eventsFile.Name} {q.Line} {q.Column} '{q.RawValue}': {q.Code}: {q.Message}");
                }
            }

            return 0;
        });
        return command;
    }

    /// <summary>The value named by an option's word (any case), or one line naming the words it takes.</summary>
    private static T Choose<T>(string option, string? word, params (string Word, T Value)[] choices)
    {
        foreach (var (name, value) in choices)
        {
            if (name.Equals(word, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        throw new InputError($"{option} {word}: give {string.Join(" or ", choices.Select(c => c.Word))}.");
    }

    private static TabularReader Open(string option, FileInfo file)
    {
        try
        {
            return TabularFile.Open(file.OpenRead(), file.Name);
        }
        catch (ExportFormatException e)
        {
            throw new InputError($"{option} {file.FullName}: {Describe(e)}");
        }
    }

    private static string Describe(ExportFormatException e) =>
        e.Line is { } line ? $"line {line}: {e.Message} ({e.ReasonCode})" : $"{e.Message} ({e.ReasonCode})";
}
