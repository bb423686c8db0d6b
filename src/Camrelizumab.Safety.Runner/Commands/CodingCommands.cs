using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Camrelizumab.Safety.Core.Coding;
using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Core.Text;
using Spectre.Console;

namespace Camrelizumab.Safety.Runner.Commands;

/// <summary><c>safety code</c> and <c>safety ctcae terms</c>: the coding ladder and the dictionary, for data managers.</summary>
internal static class CodingCommands
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Code()
    {
        var file = new Option<FileInfo>("--file") { Description = "CSV with a header holding verbatim and optionally grade and meddra_code", Required = true };
        var json = new Option<bool>("--json") { Description = "Print JSON: one object per input row, in input order" };
        var command = new Command("code", "Code verbatim AE terms to CTCAE v5.0 and check grades, as ingest does.") { file, json };
        command.SetAction(parse =>
        {
            using var stream = parse.GetValue(file)!.OpenRead();
            var (encoding, _) = TextDecoding.Detect(stream);
            using var text = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: true);
            var csv = new CsvReader(text);
            if (!csv.TryRead(out var headerRow))
            {
                Console.Error.WriteLine("The file is empty.");
                return 2;
            }

            var header = headerRow.Select(h => h.Trim().ToLowerInvariant()).ToList();
            int Column(string name) => header.IndexOf(name);
            var (verbatimAt, gradeAt, codeAt) = (Column("verbatim"), Column("grade"), Column("meddra_code"));
            if (verbatimAt < 0)
            {
                Console.Error.WriteLine($"The header has no 'verbatim' column (found: {string.Join(", ", header)}).");
                return 2;
            }

            var results = new List<Dictionary<string, object?>>();
            while (csv.TryRead(out var row))
            {
                string? Cell(int index) => index >= 0 && index < row.Count && row[index].Trim().Length > 0 ? row[index].Trim() : null;
                var verbatim = Cell(verbatimAt) ?? "";
                MedDraCode? code = MedDraCode.TryParse(Cell(codeAt), out var parsed) ? parsed : null;
                var coding = CtcaeCoder.Default.Code(verbatim, code);
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
                if (Cell(gradeAt) is { } gradeText)
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

            var table = new Table().AddColumns("Line", "Verbatim", "CTCAE v5.0 term", "Status", "Method", "Confidence", "Grade");
            foreach (var r in results)
            {
                table.AddRow(
                    Convert.ToString(r["line"], CultureInfo.InvariantCulture)!,
                    Markup.Escape(r["verbatim"]?.ToString() ?? ""),
                    Markup.Escape(r["term"]?.ToString() ?? "–"),
                    r["status"]!.ToString() == "coded" ? "coded" : "[yellow]needs coding[/]",
                    r["method"]!.ToString()!,
                    Convert.ToString(r["confidence"], CultureInfo.InvariantCulture)!,
                    Markup.Escape(r.TryGetValue("gradeStatus", out var g) ? $"{r["grade"]} ({g ?? "–"})" : ""));
            }

            AnsiConsole.Write(table);
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

            AnsiConsole.Write(table);
            Console.WriteLine($"{dictionary.Terms.Count} terms in {dictionary.Socs.Count} SOCs; {CtcaeDictionary.Version}, sha256 {dictionary.ContentSha256}.");
            return 0;
        });
        return new Command("ctcae", "The embedded CTCAE v5.0 dictionary.") { terms };
    }
}
