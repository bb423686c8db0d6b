using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Camrelizumab.Safety.Core.Coding;
using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Core.Grading;
using Camrelizumab.Safety.Core.Ingest;
using Camrelizumab.Safety.Core.Text;
using Camrelizumab.Safety.Runner.CommandLine;
using Spectre.Console;

namespace Camrelizumab.Safety.Runner.Commands;

/// <summary><c>safety code</c> and <c>safety ctcae terms</c>: the coding ladder and the dictionary, for data managers.</summary>
internal static class CodingCommands
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Opens a data manager's CSV in whatever encoding it was saved (BOM, UTF-8, GB18030, Windows-1252).</summary>
    private static StreamReader OpenText(FileInfo file)
    {
        var stream = file.OpenRead();
        var (encoding, _) = TextDecoding.Detect(stream);
        return new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: true);
    }

    public static Command Code()
    {
        var file = new Option<FileInfo>("--file") { Description = "CSV with a header holding verbatim and optionally grade and meddra_code", Required = true }.MustBeReadable("a CSV file with a verbatim column", text: true);
        var json = new Option<bool>("--json") { Description = "Print JSON: one object per input row, in input order" };
        var command = new Command("code", "Code verbatim AE terms to CTCAE v5.0 and check grades, as ingest does.") { file, json };
        command.SetAction(parse =>
        {
            using var text = OpenText(parse.GetValue(file)!);
            var csv = new CsvReader(text);
            if (!csv.TryRead(out var headerRow))
            {
                throw new InputError($"--file {parse.GetValue(file)!.FullName} is empty; give a CSV file with a header line.");
            }

            // The columns and the coding ladder are ingest's (AeRowReading): verbatim/AETERM, grade/AETOXGR, meddra_code/AELLTCD, AEDECOD.
            var layout = ExportLayout.Of(headerRow, ExportKind.AdverseEvents);
            if (!layout.Has(ExportField.VerbatimTerm) && !layout.Has(ExportField.CtcaeTerm))
            {
                throw new InputError($"--file {parse.GetValue(file)!.FullName}: the header has no 'verbatim' column (found: {string.Join(", ", headerRow)}); add one holding the verbatim terms.");
            }

            var results = new List<Dictionary<string, object?>>();
            var codings = new List<CodingResult>();
            while (csv.TryRead(out var row))
            {
                var verbatim = layout.Value(row, ExportField.VerbatimTerm) ?? layout.Value(row, ExportField.CtcaeTerm) ?? "";
                var coding = AeRowReading.Code(CtcaeCoder.Default, CtcaeDictionary.V5, layout, row).Result;
                codings.Add(coding);
                var item = new Dictionary<string, object?>
                {
                    ["line"] = csv.RecordLine,
                    ["verbatim"] = verbatim,
                    ["term"] = coding.Term?.Name,
                    ["meddraCode"] = coding.Term?.Code.ToString(),
                    ["soc"] = coding.Term?.Soc,
                    ["status"] = coding.Status,
                    ["method"] = CodingResult.MethodName(coding.Method),
                    ["confidence"] = Math.Round(coding.Confidence, 4),
                    ["note"] = coding.Note,
                    ["suggestions"] = coding.Suggestions.Select(s => new { term = s.Term.Name, similarity = Math.Round(s.Similarity, 4) }).ToList(),
                };
                if (layout.Value(row, ExportField.Grade) is { } gradeText)
                {
                    item["grade"] = gradeText;
                    item["gradeStatus"] = !CtcaeGrade.TryParse(gradeText, out var grade) ? "out-of-range"
                        : coding.Term is null ? null
                        : coding.Term.Defines(grade) ? "valid" : "not-defined-for-term";
                }

                results.Add(item);
            }

            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(results, Json));
                return 0;
            }

            var table = new Table().AddColumns("Line", "Verbatim", "CTCAE v5.0 term", "Status", "Method", "Confidence", "Grade", "Suggestions");
            foreach (var (r, coding) in results.Zip(codings))
            {
                table.AddRow(
                    Convert.ToString(r["line"], CultureInfo.InvariantCulture)!,
                    Markup.Escape(r["verbatim"]?.ToString() ?? ""),
                    Markup.Escape(r["term"]?.ToString() ?? "–"),
                    r["status"]!.ToString() == "coded" ? "coded" : "[yellow]needs coding[/]",
                    r["method"]!.ToString()!,
                    Convert.ToString(r["confidence"], CultureInfo.InvariantCulture)!,
                    Markup.Escape(r.TryGetValue("gradeStatus", out var g) ? $"{r["grade"]} ({g ?? "–"})" : ""),
                    Markup.Escape(string.Join("; ", coding.Suggestions.Take(3).Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Term.Name} ({t.Similarity:0.00})")))));
            }

            Terminal.Write(table);
            return 0;
        });
        return command;
    }

    public static Command Ctcae()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var terms = new Command("terms", "List the 837 CTCAE v5.0 terms with MedDRA codes, SOCs and grade definitions.") { json };
        terms.SetAction(parse =>
        {
            var dictionary = CtcaeDictionary.V5;
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(dictionary.Terms.Select(t => new
                {
                    meddraCode = t.Code.ToString(),
                    soc = t.Soc,
                    term = t.Name,
                    grades = Enumerable.Range(1, 5).ToDictionary(g => g.ToString(CultureInfo.InvariantCulture), g => t.GradeTexts[g - 1]),
                    definition = t.Definition,
                }), Json));
                return 0;
            }

            var table = new Table().AddColumns("MedDRA", "SOC", "Term", "Grades defined");
            foreach (var t in dictionary.Terms)
            {
                table.AddRow(t.Code.ToString(), Markup.Escape(t.Soc), Markup.Escape(t.Name), string.Join(",", Enumerable.Range(1, 5).Where(g => t.Defines(new CtcaeGrade(g)))));
            }

            Terminal.Write(table);
            Console.WriteLine($"{dictionary.Terms.Count} terms in {dictionary.Socs.Count} SOCs; {CtcaeDictionary.Version}, sha256 {dictionary.ContentSha256}.");
            return 0;
        });
        return new Command("ctcae", "The embedded CTCAE v5.0 dictionary.") { terms };
    }

    public static Command Lab()
    {
        var file = new Option<FileInfo>("--file") { Description = "CSV with a header: term (a CTCAE lab term), value, and as the criterion needs unit, lln, uln, baseline, baseline_range, pct_change (ingest's names work too: ADaM AVAL, AVALU, ANRLO, ANRHI, BASE, BNRIND, PCHG; SDTM LBSTRESN, LBSTNRLO, LBSTNRHI; lab_value, lab_lln, lab_uln)", Required = true }.MustBeReadable("a CSV file with term and value columns", text: true);
        var units = new Option<string>("--units") { Description = "si or us: which CTCAE v5.0 unit convention the values use", DefaultValueFactory = _ => "si" };
        var json = new Option<bool>("--json") { Description = "Print JSON: one object per input row, in input order" };
        var grade = new Command("grade", "Grade lab results by CTCAE v5.0 (ALT, AST, bilirubin, ALP, creatinine, counts, electrolytes, glucose, lipase, amylase, ...).") { file, units, json };
        grade.SetAction(parse =>
        {
            var system = parse.GetValue(units)?.ToUpperInvariant() switch
            {
                "SI" => LabUnitSystem.SI,
                "US" => LabUnitSystem.UsConventional,
                var other => (LabUnitSystem?)null,
            };
            if (system is null)
            {
                throw new InputError($"--units {parse.GetValue(units)}: give si or us.");
            }

            using var text = OpenText(parse.GetValue(file)!);
            var csv = new CsvReader(text);
            if (!csv.TryRead(out var headerRow))
            {
                throw new InputError($"--file {parse.GetValue(file)!.FullName} is empty; give a CSV file with a header line.");
            }

            // The lab columns are ingest's (AeRowReading.LabResult): value/lab_value/AVAL/LBSTRESN, lln/lab_lln/ANRLO/LBSTNRLO, ….
            var layout = ExportLayout.Of(headerRow, ExportKind.AdverseEvents);
            if (!layout.Has(ExportField.CtcaeTerm) || !layout.Has(ExportField.LabValue))
            {
                throw new InputError($"--file {parse.GetValue(file)!.FullName}: the header needs 'term' and 'value' columns (found: {string.Join(", ", headerRow)}); add them.");
            }

            var results = new List<Dictionary<string, object?>>();
            while (csv.TryRead(out var row))
            {
                var term = layout.Value(row, ExportField.CtcaeTerm);
                var criterion = LabCriteria.Find(term, LabDirection.Low, system.Value) ?? LabCriteria.Find(term, LabDirection.High, system.Value);
                var (measurement, unreadable) = AeRowReading.LabResult(layout, row);
                var result = criterion is null ? LabGrade.Missing($"no CTCAE v5.0 lab criterion for '{term}'")
                    : unreadable is { } field ? LabGrade.Missing($"'{layout.Value(row, field)}' in {layout.ColumnName(field)} is not a number")
                    : criterion.Grade(measurement ?? new LabMeasurement());
                results.Add(new Dictionary<string, object?>
                {
                    ["line"] = csv.RecordLine,
                    ["term"] = term,
                    ["ctcaeTerm"] = criterion?.CtcaeTerm,
                    ["value"] = layout.Value(row, ExportField.LabValue),
                    ["unit"] = layout.Value(row, ExportField.LabUnit),
                    ["grade"] = result.Grade,
                    ["notGradable"] = result.NotGradable,
                    ["criteria"] = criterion?.Criteria,
                });
            }

            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(results, Json));
                return 0;
            }

            var table = new Table().AddColumns("Line", "Term", "Value", "Unit", "CTCAE v5.0 grade");
            foreach (var r in results)
            {
                table.AddRow(
                    Convert.ToString(r["line"], CultureInfo.InvariantCulture)!,
                    Markup.Escape(r["term"]?.ToString() ?? ""),
                    Markup.Escape(r["value"]?.ToString() ?? ""),
                    Markup.Escape(r["unit"]?.ToString() ?? ""),
                    r["grade"] is int g ? g.ToString(CultureInfo.InvariantCulture) : "[yellow]not gradable:[/] " + Markup.Escape(r["notGradable"]?.ToString() ?? ""));
            }

            Terminal.Write(table);
            return 0;
        });
        return new Command("lab", "CTCAE v5.0 lab-based grading.") { grade };
    }
}
