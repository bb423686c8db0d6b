using System.Globalization;
using System.Text;
using Camrelizumab.Safety.Core.Text;

namespace Camrelizumab.Safety.Runner.Commands;

/// <summary>
/// One generated input for <c>safety bench ingest</c>: a roster and an AE export of a given shape, and the column names
/// the pandas script is told to read. Generation is seeded, so a shape is the same file on every machine.
/// </summary>
/// <param name="Name">The word <c>--shape</c> takes.</param>
/// <param name="DefaultRows">Rows in the export unless <c>--rows</c> says otherwise.</param>
/// <param name="Subjects">Subjects in the roster.</param>
/// <param name="Pandas">The pandas script's column options for this shape.</param>
internal sealed record BenchShape(string Name, int DefaultRows, int Subjects, string Description, string[] Pandas, Action<BenchShape, TextWriter, TextWriter, int> Write)
{
    /// <summary>The project's own shape: 20 terms in English, British English, Chinese and shorthand, two arms.</summary>
    private static readonly string[] Terms =
    [
        "Pneumonitis", "Anemia", "Anaemia", "Diarrhea", "Fatigue", "Rash maculo-papular", "Hypothyroidism", "Esophagitis", "Oesophagitis",
        "Nausea", "Neutrophil count decreased", "ALT increased", "RCCEP", "Pyrexia", "Dysphagia", "Cough", "放射性食管炎", "Stomatitis",
        "Thrombocytopenia", "Pneumonia",
    ];

    /// <summary>What pooling studies adds: the same events spelled as other sites and sponsors spell them (37 in all).</summary>
    private static readonly string[] PooledTerms =
    [
        .. Terms, "fatigue", "FATIGUE", "Diarrhoea", "diarrhea", "Rash maculopapular", "Maculo-papular rash", "Hypothyroid", "ALT elevated",
        "Alanine aminotransferase increased", "Neutropenia", "Radiation esophagitis", "放射性肺炎", "Decreased appetite", "Vomiting", "Asthenia",
        "Reactive cutaneous capillary endothelial proliferation", "Pneumonitis radiation",
    ];

    /// <summary>MedDRA preferred terms with their SOC, as SDTM AEDECOD and AEBODSYS carry them.</summary>
    private static readonly (string Term, string Soc)[] SdtmTerms =
    [
        ("Pneumonitis", "Respiratory, thoracic and mediastinal disorders"), ("Cough", "Respiratory, thoracic and mediastinal disorders"),
        ("Dyspnoea", "Respiratory, thoracic and mediastinal disorders"), ("Anaemia", "Blood and lymphatic system disorders"),
        ("Neutropenia", "Blood and lymphatic system disorders"), ("Thrombocytopenia", "Blood and lymphatic system disorders"),
        ("Diarrhoea", "Gastrointestinal disorders"), ("Nausea", "Gastrointestinal disorders"), ("Oesophagitis", "Gastrointestinal disorders"),
        ("Dysphagia", "Gastrointestinal disorders"), ("Stomatitis", "Gastrointestinal disorders"), ("Vomiting", "Gastrointestinal disorders"),
        ("Fatigue", "General disorders and administration site conditions"), ("Pyrexia", "General disorders and administration site conditions"),
        ("Rash maculo-papular", "Skin and subcutaneous tissue disorders"), ("Pruritus", "Skin and subcutaneous tissue disorders"),
        ("Capillary haemangioma", "Neoplasms benign, malignant and unspecified (incl cysts and polyps)"),
        ("Hypothyroidism", "Endocrine disorders"), ("Hyperthyroidism", "Endocrine disorders"),
        ("Alanine aminotransferase increased", "Investigations"), ("Aspartate aminotransferase increased", "Investigations"),
        ("Weight decreased", "Investigations"), ("Decreased appetite", "Metabolism and nutrition disorders"),
        ("Hyponatraemia", "Metabolism and nutrition disorders"), ("Pneumonia", "Infections and infestations"),
        ("Radiation oesophagitis", "Injury, poisoning and procedural complications"),
    ];

    /// <summary>Free text as sites type it: commas, quotes and line breaks inside quoted fields.</summary>
    private static readonly string[] Comments =
    [
        "", "", "", "Resolved without treatment.", "Patient reports \"tiredness, all day\"; no action.", "Seen at cycle 2, day 8.\nFollow-up booked.",
        "Per investigator, \"possibly\" related;\r\nsee narrative, page 3.", "Grade confirmed by labs, 2 visits.", "患者自述乏力，休息后缓解。",
    ];

    public static IReadOnlyList<BenchShape> All { get; } =
    [
        new("current", 1_000_000, 2_000, "the project's generated export: 2,000 subjects, 20 terms, 6 columns", [], WriteFlat),
        new("pooled", 1_700_000, 50_000, "a pooled export: 50,000 subjects, 37 verbatim spellings, 6 columns", [], WriteFlat),
        new("sdtm", 200_000, 5_000, "SDTM AE and DM: 5,000 subjects, 34 columns, quoted free text with commas, quotes and line breaks",
            ["--subject", "USUBJID", "--arm", "ACTARM", "--term", "AEDECOD", "--grade", "AETOXGR", "--serious", "AESER", "--related", "AEREL"], WriteSdtm),
        new("verbatims", 1_000_000, 10_000, "a flat export with 2,000 distinct verbatims (half of them quoted), 10,000 subjects", [], WriteFlat),
    ];

    /// <summary>Writes the roster and the export into <paramref name="folder"/>, or reuses them when written before.</summary>
    public (string Subjects, string Events) Generate(string folder, int rows)
    {
        var subjectsFile = Path.Combine(folder, $"{Name}-roster-{Subjects}.csv");
        var eventsFile = Path.Combine(folder, $"{Name}-ae-{rows}.csv");
        if (File.Exists(subjectsFile) && new FileInfo(eventsFile) is { Exists: true, Length: > 0 })
        {
            return (subjectsFile, eventsFile);
        }

        var partial = eventsFile + ".partial";
        using (var roster = new StreamWriter(subjectsFile, false, new UTF8Encoding(false)))
        using (var events = new StreamWriter(partial, false, new UTF8Encoding(false), 1 << 16))
        {
            Write(this, roster, events, rows);
        }

        File.Move(partial, eventsFile, overwrite: true);
        return (subjectsFile, eventsFile);
    }

    private static string SubjectId(int i) => string.Create(CultureInfo.InvariantCulture, $"BJ{i / 500:D2}-{i:D5}");

    /// <summary>subject_id, ae_id, verbatim_term, grade, serious, related_camrelizumab; grade 5 about once in 2,000 rows.</summary>
    private static void WriteFlat(BenchShape shape, TextWriter roster, TextWriter events, int rows)
    {
        roster.Write("subject_id,arm\n");
        for (var i = 0; i < shape.Subjects; i++)
        {
            roster.Write(string.Create(CultureInfo.InvariantCulture, $"{SubjectId(i)},{(i % 2 == 0 ? "CAM" : "CAMRT")}\n"));
        }

        var terms = shape.Name switch
        {
            "pooled" => PooledTerms,
            "verbatims" => [.. Enumerable.Range(0, 2_000).Select(k => CsvWriter.Escape(k % 2 == 0
                ? string.Create(CultureInfo.InvariantCulture, $"{Terms[k % Terms.Length]} cycle {k / Terms.Length + 1}")
                : string.Create(CultureInfo.InvariantCulture, $"{Terms[k % Terms.Length]}, cycle {k / Terms.Length + 1}, per site {k % 7}")))],
            _ => Terms,
        };
        var random = new Random(20261124);
        events.Write("subject_id,ae_id,verbatim_term,grade,serious,related_camrelizumab\n");
        const string grades = "1111122223334";
        for (var i = 0; i < rows; i++)
        {
            var s = random.Next(shape.Subjects);
            var grade = grades[random.Next(grades.Length)];
            if (random.Next(2000) == 0)
            {
                grade = '5';
            }

            events.Write(string.Create(CultureInfo.InvariantCulture,
                $"{SubjectId(s)},{i + 1},{terms[random.Next(terms.Length)]},{grade},{(random.Next(5) == 0 ? 'Y' : 'N')},{(random.Next(2) == 0 ? 'Y' : 'N')}\n"));
        }
    }

    /// <summary>DM (14 columns) and AE (34 columns, the SDTM AE variables plus a sponsor comment) with the values an
    /// SDTM export holds: grade 5 rows have AEOUT FATAL and AESDTH Y, severity follows the grade.</summary>
    private static void WriteSdtm(BenchShape shape, TextWriter roster, TextWriter events, int rows)
    {
        var writer = new CsvWriter(roster);
        writer.WriteRow(["STUDYID", "DOMAIN", "USUBJID", "SUBJID", "RFSTDTC", "RFXSTDTC", "SITEID", "AGE", "SEX", "ARMCD", "ARM", "ACTARMCD", "ACTARM", "COUNTRY"]);
        for (var i = 0; i < shape.Subjects; i++)
        {
            var (code, arm) = i % 2 == 0 ? ("CAM", "Camrelizumab") : ("CAMRT", "Camrelizumab + radiotherapy");
            writer.WriteRow(["CAM-ESCC-201", "DM", "CAM-ESCC-201-" + SubjectId(i), SubjectId(i), "2025-03-04", "2025-03-05",
                (i / 500).ToString("D2", CultureInfo.InvariantCulture), (40 + (i % 35)).ToString(CultureInfo.InvariantCulture), i % 3 == 0 ? "F" : "M", code, arm, code, arm, "CHN"]);
        }

        var random = new Random(20261129);
        var ae = new CsvWriter(events);
        ae.WriteRow(["STUDYID", "DOMAIN", "USUBJID", "AESEQ", "AESPID", "AETERM", "AELLT", "AELLTCD", "AEDECOD", "AEPTCD", "AEHLT", "AEHLTCD", "AEHLGT",
            "AEHLGTCD", "AEBODSYS", "AEBDSYCD", "AESOCCD", "AESEV", "AESER", "AEACN", "AEREL", "AEOUT", "AESCONG", "AESDISAB", "AESDTH", "AESHOSP",
            "AESLIFE", "AESMIE", "AETOXGR", "AESTDTC", "AEENDTC", "AESTDY", "AEENDY", "AECOMM"]);
        string[] actions = ["DOSE NOT CHANGED", "DOSE NOT CHANGED", "DOSE NOT CHANGED", "DRUG INTERRUPTED", "DRUG WITHDRAWN", "NOT APPLICABLE"];
        string[] related = ["RELATED", "POSSIBLY RELATED", "NOT RELATED", "UNLIKELY RELATED"];
        const string grades = "1111122223334";
        for (var i = 0; i < rows; i++)
        {
            var s = random.Next(shape.Subjects);
            var t = random.Next(SdtmTerms.Length);
            var (term, soc) = SdtmTerms[t];
            var grade = random.Next(2000) == 0 ? '5' : grades[random.Next(grades.Length)];
            var serious = grade >= '4' || random.Next(8) == 0 ? "Y" : "N";
            var day = random.Next(1, 400);
            var code = (10_000_000 + t * 1_013).ToString(CultureInfo.InvariantCulture);
            var verbatim = (random.Next(4)) switch
            {
                0 => term.ToUpperInvariant(),
                1 => term + ", cycle " + (day / 21 + 1).ToString(CultureInfo.InvariantCulture),
                2 => "\"" + term + "\" as reported",
                _ => term + "\n(confirmed)",
            };
            ae.WriteRow(["CAM-ESCC-201", "AE", "CAM-ESCC-201-" + SubjectId(s), (i + 1).ToString(CultureInfo.InvariantCulture), "AE" + (i % 97).ToString(CultureInfo.InvariantCulture),
                verbatim, term, code, term, code, term + " NEC", code, soc + " NEC", code, soc, "10" + (t % 27).ToString("D6", CultureInfo.InvariantCulture),
                "10" + (t % 27).ToString("D6", CultureInfo.InvariantCulture), grade switch { '1' => "MILD", '2' => "MODERATE", _ => "SEVERE" }, serious,
                actions[random.Next(actions.Length)], related[random.Next(related.Length)], grade == '5' ? "FATAL" : random.Next(3) == 0 ? "NOT RECOVERED/NOT RESOLVED" : "RECOVERED/RESOLVED",
                "N", "N", grade == '5' ? "Y" : "N", serious, grade == '4' ? "Y" : "N", "N", grade.ToString(), 
                new DateOnly(2025, 3, 5).AddDays(day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                new DateOnly(2025, 3, 5).AddDays(day + 9).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                day.ToString(CultureInfo.InvariantCulture), (day + 9).ToString(CultureInfo.InvariantCulture), Comments[random.Next(Comments.Length)]]);
        }
    }
}
