using System.Globalization;
using System.Text;
using Camrelizumab.Safety.Core.Text;

namespace Camrelizumab.Safety.Runner.Demo;

/// <summary>
/// A seeded, synthetic dataset for this trial: two arms of 60 subjects at four Chinese sites, enrolled over the
/// eighteen months before the anchor date, with the AE profile the literature in docs/stopping-rules.md §7 leads one to
/// expect (RCCEP in most camrelizumab patients, hypothyroidism, pneumonitis, radiation esophagitis, fistula, laboratory
/// abnormalities). The combination arm's fistula rate is set high (about 20%), so that arm crosses its fistula rule.
/// A handful of deliberately messy rows show the data manager's report: each is stored and counted with a query (an
/// uncoded serious event among them, which the demo's coder then codes), one exact repeat is refused. No real patient data.
/// </summary>
/// <remarks>
/// Dates are relative to the anchor date, so the demo tells the same story whenever it runs. The same seed and anchor
/// always give the same bytes.
/// </remarks>
public sealed class DemoDataset
{
    public const int Seed = 20_260_124;
    public const string Study = "CAMREL-RT-EC2";

    /// <summary>The verbatim of the demo's uncoded serious event, and the term its coder assigns.</summary>
    public const string UncodedVerbatim = "Collapsed at home, admitted to local hospital";
    public const string UncodedAssignedTerm = "Syncope";
    private static readonly string[] Sites = ["BJ01", "SH02", "GZ03", "CD04"];

    /// <summary>Per-subject probability (by arm), CTCAE term, MedDRA code, verbatim, grade weights 1..5, camrelizumab-related, RT-related.</summary>
    private static readonly (double Cam, double CamRt, string Term, string Code, string Verbatim, double[] Grades, bool RelCam, bool RelRt)[] Catalog =
    [
        (0.75, 0.70, "Skin and subcutaneous tissue disorders - Other, specify", "10040785", "Reactive cutaneous capillary endothelial proliferation (RCCEP)", [0.55, 0.40, 0.05, 0, 0], true, false),
        (0.22, 0.35, "Hypothyroidism", "10021114", "Hypothyroidism", [0.45, 0.50, 0.05, 0, 0], true, false),
        (0.04, 0.16, "Pneumonitis", "10035742", "Radiation pneumonitis", [0.45, 0.45, 0.10, 0, 0], true, true),
        (0.05, 0.50, "Esophagitis", "10015461", "Radiation oesophagitis", [0.40, 0.45, 0.15, 0, 0], false, true),
        (0.00, 0.20, "Esophageal fistula", "10065851", "Tracheo-oesophageal fistula", [0.10, 0.30, 0.45, 0.15, 0], true, true),
        (0.20, 0.22, "Alanine aminotransferase increased", "10001551", "ALT increased", [0.70, 0.22, 0.08, 0, 0], true, false),
        (0.18, 0.20, "Aspartate aminotransferase increased", "10003481", "AST elevated", [0.72, 0.20, 0.08, 0, 0], true, false),
        (0.25, 0.40, "Anemia", "10002272", "Anaemia", [0.40, 0.45, 0.15, 0, 0], true, true),
        (0.10, 0.25, "Neutrophil count decreased", "10029366", "Neutropenia", [0.40, 0.40, 0.17, 0.03, 0], true, true),
        (0.06, 0.30, "Lymphocyte count decreased", "10025256", "Lymphopenia", [0.30, 0.40, 0.25, 0.05, 0], false, true),
        (0.08, 0.12, "Platelet count decreased", "10035528", "Thrombocytopenia", [0.60, 0.30, 0.10, 0, 0], true, false),
        (0.30, 0.35, "Fatigue", "10016256", "Fatigue", [0.60, 0.35, 0.05, 0, 0], true, true),
        (0.18, 0.28, "Anorexia", "10002646", "Decreased appetite", [0.55, 0.40, 0.05, 0, 0], true, true),
        (0.12, 0.30, "Dysphagia", "10013950", "Dysphagia", [0.40, 0.45, 0.15, 0, 0], false, true),
        (0.12, 0.10, "Pruritus", "10037087", "Pruritus", [0.80, 0.20, 0, 0, 0], true, false),
        (0.10, 0.10, "Rash maculo-papular", "10037868", "Maculopapular rash", [0.65, 0.30, 0.05, 0, 0], true, false),
        (0.10, 0.08, "Diarrhea", "10012727", "Diarrhoea", [0.75, 0.20, 0.05, 0, 0], true, false),
        (0.14, 0.14, "Fever", "10016558", "Pyrexia", [0.85, 0.15, 0, 0, 0], true, false),
        (0.08, 0.20, "Cough", "10011224", "Cough", [0.80, 0.20, 0, 0, 0], false, true),
    ];

    private DemoDataset(string roster, string adverseEvents, string exposure, string disposition)
    {
        Roster = roster;
        AdverseEvents = adverseEvents;
        Exposure = exposure;
        Disposition = disposition;
    }

    /// <summary>SDTM EX (exposure) CSV: camrelizumab doses and radiotherapy fractions.</summary>
    public string Exposure { get; }

    /// <summary>SDTM DS (disposition) CSV: who stopped treatment or left the study, and why.</summary>
    public string Disposition { get; }

    /// <summary>The subject roster CSV (UTF-8).</summary>
    public string Roster { get; }

    /// <summary>The AE export CSV (UTF-8), including the messy rows.</summary>
    public string AdverseEvents { get; }

    public static DemoDataset Generate(DateOnly anchor)
    {
        var random = new Random(Seed);

        // A second stream for the action taken, so adding that column left every other draw of the dataset unchanged.
        var actions = new Random(Seed + 1);
        var roster = new StringBuilder();
        var rosterCsv = new CsvWriter(new StringWriter(roster, CultureInfo.InvariantCulture));
        rosterCsv.WriteRow(["study_id", "subject_id", "site", "arm", "randomization_date", "first_dose_date"]);
        var events = new StringBuilder();
        var eventsCsv = new CsvWriter(new StringWriter(events, CultureInfo.InvariantCulture));
        eventsCsv.WriteRow(["study_id", "subject_id", "ae_id", "verbatim_term", "ctcae_term", "meddra_code", "grade", "serious", "related_camrelizumab", "related_radiotherapy", "onset_date", "resolution_date", "outcome", "action_taken", "lab_value", "lab_unit", "lab_lln", "lab_uln", "lab_baseline_range"]);

        var subjects = new List<(string Id, string Arm, DateOnly FirstDose)>();
        for (var i = 0; i < 120; i++)
        {
            var site = Sites[i % Sites.Length];
            var id = $"{site}-{(i / Sites.Length) + 1:D3}";
            var arm = random.Next(2) == 0 ? "CAM" : "CAMRT";
            if (subjects.Count(s => s.Arm == arm) >= 60)
            {
                arm = arm == "CAM" ? "CAMRT" : "CAM";
            }

            // Enrolment spread evenly over 540 days up to 20 days before the anchor; first dose 3-10 days after randomization.
            var randomized = anchor.AddDays(-560 + (i * 540 / 120) + random.Next(0, 4));
            var firstDose = randomized.AddDays(random.Next(3, 11));
            var dosed = firstDose < anchor;
            rosterCsv.WriteRow([Study, id, site, arm == "CAM" ? "Camrelizumab" : "Camrelizumab + RT", Iso(randomized), dosed ? Iso(firstDose) : ""]);
            if (dosed)
            {
                subjects.Add((id, arm, firstDose));
            }
        }

        foreach (var (id, arm, firstDose) in subjects)
        {
            var seq = 0;
            var followUp = anchor.DayNumber - firstDose.DayNumber;
            foreach (var ae in Catalog)
            {
                if (random.NextDouble() >= (arm == "CAM" ? ae.Cam : ae.CamRt))
                {
                    continue;
                }

                var onsetDay = ae.Term switch
                {
                    "Esophageal fistula" or "Pneumonitis" => random.Next(30, 150),
                    "Esophagitis" => random.Next(10, 50),
                    "Hypothyroidism" => random.Next(40, 120),
                    _ => random.Next(5, 90),
                };
                if (onsetDay >= followUp)
                {
                    continue;
                }

                var grade = Pick(random, ae.Grades);
                var onset = firstDose.AddDays(onsetDay);
                var resolved = random.NextDouble() < 0.7 ? onset.AddDays(random.Next(7, 60)) : (DateOnly?)null;
                var relatedRt = arm == "CAMRT" && ae.RelRt && random.NextDouble() < 0.85;
                var relatedCam = ae.RelCam && random.NextDouble() < 0.85;
                eventsCsv.WriteRow([
                    Study, id, (++seq).ToString(CultureInfo.InvariantCulture), ae.Verbatim, ae.Term, ae.Code, grade.ToString(CultureInfo.InvariantCulture),
                    grade >= 3 ? "Y" : "N", relatedCam ? "Y" : "N", arm == "CAMRT" ? (relatedRt ? "Y" : "N") : "",
                    Iso(onset), resolved is { } r && r < anchor ? Iso(r) : "", resolved is not null ? "RECOVERED/RESOLVED" : "NOT RECOVERED/NOT RESOLVED",
                    grade >= 3 && relatedCam && actions.NextDouble() < 0.4 ? "DRUG WITHDRAWN" : grade >= 2 && actions.NextDouble() < 0.3 ? "DOSE NOT CHANGED" : "",
                    .. LabResult(ae.Term, grade)]);
            }
        }

        // One treatment-related death in the combination arm: fatal esophageal hemorrhage.
        var fatal = subjects.First(s => s.Arm == "CAMRT" && anchor.DayNumber - s.FirstDose.DayNumber > 200);
        eventsCsv.WriteRow([Study, fatal.Id, "99", "Massive haematemesis", "Esophageal hemorrhage", "10015384", "5", "Y", "Y", "Y", Iso(fatal.FirstDose.AddDays(61)), Iso(fatal.FirstDose.AddDays(61)), "FATAL", "NOT APPLICABLE", "", "", "", "", ""]);

        // A SUSAR candidate: serious, related to camrelizumab, and not in the expected-AE list.
        var susar = subjects.First(s => s.Arm == "CAM" && anchor.DayNumber - s.FirstDose.DayNumber > 120);
        eventsCsv.WriteRow([Study, susar.Id, "98", "Guillain-Barre syndrome", "Guillain-Barre syndrome", "10018767", "3", "Y", "Y", "", Iso(susar.FirstDose.AddDays(48)), "", "NOT RECOVERED/NOT RESOLVED", "DRUG WITHDRAWN", "", "", "", "", ""]);

        // Messy rows a data manager should see in the ingest report.
        var messy = subjects.Where(s => s.Arm == "CAM").Take(6).ToList();
        eventsCsv.WriteRow([Study, messy[0].Id, "90", "Hair loss", "Alopecia", "10001760", "3", "N", "Y", "", Iso(messy[0].FirstDose.AddDays(30)), "", "", "", "", "", "", "", ""]);
        eventsCsv.WriteRow([Study, messy[1].Id, "90", "Feeling unwell", "", "", "2", "N", "Y", "", Iso(messy[1].FirstDose.AddDays(60)), "", "", "", "", "", "", "", ""]);
        eventsCsv.WriteRow([Study, messy[2].Id, "90", "Nausea", "Nausea", "10028813", "", "N", "Y", "", Iso(messy[2].FirstDose.AddDays(12)), "", "", "", "", "", "", "", ""]);
        eventsCsv.WriteRow([Study, messy[3].Id, "90", "Headache", "Headache", "10019211", "1", "N", "N", "", "2026-13-45", "", "", "", "", "", "", "", ""]);
        eventsCsv.WriteRow([Study, messy[4].Id, "90", "Hypertension", "Hypertension", "10020772", "2", "maybe", "N", "", Iso(messy[4].FirstDose.AddDays(20)), "", "", "", "", "", "", "", ""]);
        eventsCsv.WriteRow([Study, messy[4].Id, "90", "Hypertension", "Hypertension", "10020772", "2", "maybe", "N", "", Iso(messy[4].FirstDose.AddDays(20)), "", "", "", "", "", "", "", ""]);

        // A serious, related event the site described in words no coding rung knows: stored, counted, alerted as a SUSAR
        // candidate whose expectedness cannot be assessed, until the demo's coder assigns it a term.
        eventsCsv.WriteRow([Study, messy[2].Id, "92", UncodedVerbatim, "", "", "3", "Y", "Y", "", Iso(messy[2].FirstDose.AddDays(40)), "", "", "", "", "", "", "", ""]);

        // A grade the lab result does not support: the ingest report lists it as a grade query (0.7 x 10^9/L is grade 3).
        eventsCsv.WriteRow([Study, messy[5].Id, "91", "Neutropenia", "Neutrophil count decreased", "10029366", "2", "N", "Y", "", Iso(messy[5].FirstDose.AddDays(21)), Iso(messy[5].FirstDose.AddDays(35)), "RECOVERED/RESOLVED", "", "0.7", "10^9/L", "2.0", "7.5", ""]);
        rosterCsv.WriteRow([Study, "XX99-001", "XX99", "C", Iso(anchor.AddDays(-30)), Iso(anchor.AddDays(-25))]);
        var (exposure, disposition) = ExposureAndDisposition(subjects, fatal, anchor);
        return new DemoDataset(roster.ToString(), events.ToString(), exposure, disposition);
    }

    /// <summary>
    /// SDTM EX and DS for the dosed subjects, from a stream of their own (the AE draws are unchanged): camrelizumab
    /// 200 mg every 14 days, one dose in ten a week late, until progression (60%, day 60-400), an adverse event (10%,
    /// day 30-200) or the data cut; in the combination arm 30 fractions of 2 Gy on weekdays from day 7 (25 for one in
    /// five). The fatal hemorrhage ends treatment and the study with DEATH.
    /// </summary>
    private static (string Exposure, string Disposition) ExposureAndDisposition(List<(string Id, string Arm, DateOnly FirstDose)> subjects, (string Id, string Arm, DateOnly FirstDose) fatal, DateOnly anchor)
    {
        var random = new Random(Seed + 2);
        var ex = new StringBuilder();
        var exCsv = new CsvWriter(new StringWriter(ex, CultureInfo.InvariantCulture));
        exCsv.WriteRow(["STUDYID", "DOMAIN", "USUBJID", "EXSEQ", "EXTRT", "EXDOSE", "EXDOSU", "EXDOSFRQ", "EXSTDTC", "EXENDTC"]);
        var ds = new StringBuilder();
        var dsCsv = new CsvWriter(new StringWriter(ds, CultureInfo.InvariantCulture));
        dsCsv.WriteRow(["STUDYID", "DOMAIN", "USUBJID", "DSSEQ", "DSTERM", "DSDECOD", "DSCAT", "DSSCAT", "DSSTDTC"]);
        foreach (var (id, arm, firstDose) in subjects)
        {
            var (reason, endDay) = random.NextDouble() switch
            {
                < 0.6 => ("PROGRESSIVE DISEASE", random.Next(60, 400)),
                < 0.7 => ("ADVERSE EVENT", random.Next(30, 200)),
                _ => ((string?)null, int.MaxValue),
            };
            if (id == fatal.Id)
            {
                (reason, endDay) = ("DEATH", 61);
            }

            var end = endDay == int.MaxValue ? anchor : firstDose.AddDays(endDay);
            var seq = 0;
            for (var day = firstDose; day < end && day < anchor; day = day.AddDays(random.NextDouble() < 0.1 ? 21 : 14))
            {
                exCsv.WriteRow([Study, "EX", id, (++seq).ToString(CultureInfo.InvariantCulture), "CAMRELIZUMAB", "200", "mg", "Q2W", Iso(day), Iso(day)]);
            }

            if (arm == "CAMRT")
            {
                var fractions = random.NextDouble() < 0.2 ? 25 : 30;
                for (var (day, given) = (firstDose.AddDays(7), 0); given < fractions && day < end && day < anchor; day = day.AddDays(1))
                {
                    if (day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
                    {
                        exCsv.WriteRow([Study, "EX", id, (++seq).ToString(CultureInfo.InvariantCulture), "RADIOTHERAPY", "2", "Gy", "QD", Iso(day), Iso(day)]);
                        given++;
                    }
                }
            }

            if (reason is not null && end < anchor)
            {
                dsCsv.WriteRow([Study, "DS", id, "1", reason, reason, "DISPOSITION EVENT", "STUDY TREATMENT", Iso(end)]);
                if (reason == "DEATH")
                {
                    dsCsv.WriteRow([Study, "DS", id, "2", reason, reason, "DISPOSITION EVENT", "STUDY PARTICIPATION", Iso(end)]);
                }
            }
        }

        return (ex.ToString(), ds.ToString());
    }

    /// <summary>A lab result consistent with the grade, for the lab terms CTCAE grades from values (no random draw, so the
    /// rest of the dataset is unchanged): neutrophils in 10^9/L (LLN 2.0), ALT and AST in U/L (ULN 40, normal baseline).</summary>
    private static string[] LabResult(string term, int grade) => term switch
    {
        "Neutrophil count decreased" => [new[] { "1.8", "1.2", "0.7", "0.3" }[grade - 1], "10^9/L", "2.0", "7.5", ""],
        "Alanine aminotransferase increased" or "Aspartate aminotransferase increased" => [new[] { "80", "160", "400", "900" }[grade - 1], "U/L", "", "40", "NORMAL"],
        _ => ["", "", "", "", ""],
    };

    private static int Pick(Random random, double[] weights)
    {
        var u = random.NextDouble() * weights.Sum();
        for (var i = 0; i < weights.Length; i++)
        {
            u -= weights[i];
            if (u < 0)
            {
                return i + 1;
            }
        }

        return Array.FindLastIndex(weights, w => w > 0) + 1;
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
