using static Camrelizumab.Safety.Core.Grading.LabScales;

namespace Camrelizumab.Safety.Core.Grading;

/// <summary>CTCAE v5.0 grading of the common laboratory terms from a result, its normal range and, where the criterion
/// needs it, the subject's baseline. Thresholds are CTCAE v5.0's (NCI, 27 Nov 2017), one criterion per term in SI and
/// in US conventional units; the list of terms follows the lab terms the pharmaverse admiral package grades.</summary>
/// <remarks>
/// Where a grade depends on something a lab value cannot show (symptoms, hospitalization, intervention) the worst case
/// is assumed and written in the criterion: hypokalemia below the LLN is grade 2 (symptomatic), hyponatremia 125–129
/// grade 3, lipase and amylase "with signs or symptoms", hyperuricemia "with physiologic consequences", INR "on
/// anticoagulation". Clinical-only grades (life-threatening consequences, death) are never derived from a value.
/// </remarks>
public static class LabCriteria
{
    private static readonly IReadOnlyList<LabCriterion> Si = Build(LabUnitSystem.SI).ToList();
    private static readonly IReadOnlyList<LabCriterion> Us = Build(LabUnitSystem.UsConventional).ToList();

    /// <summary>Every criterion in the given unit system.</summary>
    public static IReadOnlyList<LabCriterion> For(LabUnitSystem system) => system == LabUnitSystem.SI ? Si : Us;

    /// <summary>The criterion for <paramref name="term"/> (any case, surrounding spaces ignored) and direction, if there is one.</summary>
    public static LabCriterion? Find(string? term, LabDirection direction, LabUnitSystem system)
    {
        var wanted = term?.Trim();
        return string.IsNullOrEmpty(wanted) ? null
            : For(system).FirstOrDefault(c => c.Direction == direction && string.Equals(c.Term, wanted, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Grades a result for a term; a term without a lab criterion is not gradable.</summary>
    public static LabGrade Grade(string? term, LabDirection direction, LabMeasurement measurement, LabUnitSystem system) =>
        Find(term, direction, system) is { } criterion ? criterion.Grade(measurement)
            : LabGrade.Missing($"no CTCAE v5.0 lab criterion for '{term}' ({direction.ToString().ToLowerInvariant()})");

    private static LabBand[] Bands(params (int Grade, decimal Threshold)[] bands) => [.. bands.Select(b => new LabBand(b.Grade, b.Threshold))];

    private static IEnumerable<LabCriterion> Build(LabUnitSystem system)
    {
        var si = system == LabUnitSystem.SI;
        decimal Pick(decimal siValue, decimal usValue) => si ? siValue : usValue;
        (string, decimal)[] Unit(string siUnit, string usUnit) => [(si ? siUnit : usUnit, 1m)];
        (string, decimal)[] none = [];

        // Cell counts: 10^9/L and 10^3/uL are numerically equal; the legacy "10^3/mL" is 1/1000 of 10^3/uL.
        (string, decimal)[] counts = si ? [("10^9/L", 1m)] : [("10^3/uL", 1m), ("10^3/mL", 0.001m)];
        (string, decimal)[] mmol = [("mmol/L", 1m)];

        LabCriterion Low(string term, string ctcae, (string, decimal)[] units, string text, Func<LabMeasurement, LabGrade> grade) =>
            new(term, ctcae, LabDirection.Low, units, text, grade);
        LabCriterion High(string term, string ctcae, (string, decimal)[] units, string text, Func<LabMeasurement, LabGrade> grade) =>
            new(term, ctcae, LabDirection.High, units, text, grade);

        // Blood and lymphatic system disorders
        yield return Low("Anemia", "Anemia", Unit("g/L", "g/dL"),
            "Hgb <LLN - 100 g/L (10.0 g/dL): 1; <100 - 80 g/L: 2; <80 g/L (8.0 g/dL): 3",
            m => Below(m, Bands((3, Pick(80, 8)), (2, Pick(100, 10))), 1));
        yield return High("Leukocytosis", "Leukocytosis", counts,
            ">100 x 10^9/L: 3 (grades 1 and 2 are not defined)",
            m => Above(m, Bands((3, 100)), null));

        // Investigations
        yield return High("Activated partial thromboplastin time prolonged", "Activated partial thromboplastin time prolonged", none,
            ">ULN - 1.5 x ULN: 1; >1.5 - 2.5 x ULN: 2; >2.5 x ULN: 3",
            m => TimesUpperLimit(m, Bands((3, 2.5m), (2, 1.5m))));
        foreach (var transaminase in new[] { "Alanine aminotransferase increased", "Aspartate aminotransferase increased" })
        {
            yield return High(transaminase, transaminase, none,
                "baseline normal: >ULN - 3.0 x ULN: 1; >3.0 - 5.0: 2; >5.0 - 20.0: 3; >20.0 x ULN: 4. baseline abnormal: 1.5 - 3.0 x baseline: 1; >3.0 - 5.0: 2; >5.0 - 20.0: 3; >20.0 x baseline: 4",
                m => BaselineDependent(m, Bands((4, 20), (3, 5), (2, 3)), [new(4, 20), new(3, 5), new(2, 3), new(1, 1.5m, Inclusive: true)]));
        }

        foreach (var enzyme in new[] { "Alkaline phosphatase increased", "GGT increased" })
        {
            yield return High(enzyme, enzyme, none,
                "baseline normal: >ULN - 2.5 x ULN: 1; >2.5 - 5.0: 2; >5.0 - 20.0: 3; >20.0 x ULN: 4. baseline abnormal: 2.0 - 2.5 x baseline: 1; >2.5 - 5.0: 2; >5.0 - 20.0: 3; >20.0 x baseline: 4",
                m => BaselineDependent(m, Bands((4, 20), (3, 5), (2, 2.5m)), [new(4, 20), new(3, 5), new(2, 2.5m), new(1, 2.0m, Inclusive: true)]));
        }

        yield return High("Blood bilirubin increased", "Blood bilirubin increased", none,
            "baseline normal: >ULN - 1.5 x ULN: 1; >1.5 - 3.0: 2; >3.0 - 10.0: 3; >10.0 x ULN: 4. baseline abnormal: >1.0 - 1.5 x baseline: 1; >1.5 - 3.0: 2; >3.0 - 10.0: 3; >10.0 x baseline: 4",
            m => BaselineDependent(m, Bands((4, 10), (3, 3), (2, 1.5m)), Bands((4, 10), (3, 3), (2, 1.5m), (1, 1))));
        yield return High("Blood lactate dehydrogenase increased", "Blood lactate dehydrogenase increased", none,
            ">ULN: 1 (grades 2-4 are not defined)",
            m => TimesUpperLimit(m, []));
        yield return Low("CD4 lymphocytes decreased", "CD4 lymphocytes decreased", si ? counts : [("1/uL", 1m)],
            "<LLN - 0.5 x 10^9/L (500/mm3): 1; <0.5 - 0.2: 2; <0.2 - 0.05: 3; <0.05 x 10^9/L (50/mm3): 4",
            m => Below(m, Bands((4, Pick(0.05m, 50)), (3, Pick(0.2m, 200)), (2, Pick(0.5m, 500))), 1));
        yield return High("Cholesterol high", "Cholesterol high", Unit("mmol/L", "mg/dL"),
            ">ULN - 7.75 mmol/L (300 mg/dL): 1; >7.75 - 10.34 (400): 2; >10.34 - 12.92 (500): 3; >12.92 mmol/L: 4",
            m => Above(m, Bands((4, Pick(12.92m, 500)), (3, Pick(10.34m, 400)), (2, Pick(7.75m, 300))), 1));
        yield return High("CPK increased", "CPK increased", none,
            ">ULN - 2.5 x ULN: 1; >2.5 - 5 x ULN: 2; >5 - 10 x ULN: 3; >10 x ULN: 4",
            m => TimesUpperLimit(m, Bands((4, 10), (3, 5), (2, 2.5m))));
        yield return High("Creatinine increased", "Creatinine increased", none,
            ">ULN - 1.5 x ULN: 1; >1.5 - 3.0 x baseline or x ULN: 2; >3.0 x baseline or >3.0 - 6.0 x ULN: 3; >6.0 x ULN: 4 (the worse of the ULN and baseline readings; without a baseline, the ULN reading alone)",
            m =>
            {
                var uln = TimesUpperLimit(m, Bands((4, 6), (3, 3), (2, 1.5m)));
                return !uln.IsGraded || m.Baseline is null ? uln : Worse(uln, TimesBaseline(m, Bands((3, 3), (2, 1.5m))));
            });
        yield return Low("Fibrinogen decreased", "Fibrinogen decreased", Unit("g/L", "mg/dL"),
            "<1.0 - 0.75 x LLN: 1; <0.75 - 0.5 x LLN: 2; <0.5 - 0.25 x LLN: 3; <0.25 x LLN or <0.5 g/L (50 mg/dL): 4; when a percent change from baseline is reported, the worse of that reading (<25% decrease: 1; 25 - <50%: 2; 50 - <75%: 3; >=75%: 4) is taken for a result below the LLN",
            m =>
            {
                if (m.Value < Pick(0.5m, 50))
                {
                    return LabGrade.Of(4);
                }

                var byLimit = TimesLowerLimit(m, Bands((4, 0.25m), (3, 0.5m), (2, 0.75m)));
                if (byLimit is not { Grade: > 0 } || m.PercentChange is not { } change)
                {
                    return byLimit;
                }

                var decrease = -change;
                return Worse(byLimit, LabGrade.Of(decrease >= 75 ? 4 : decrease >= 50 ? 3 : decrease >= 25 ? 2 : 1));
            });
        yield return Low("Haptoglobin decreased", "Haptoglobin decreased", none,
            "<LLN: 1 (grades 2-4 are not defined)",
            m => Below(m, [], 1));
        yield return High("Hemoglobin increased", "Hemoglobin increased", Unit("g/L", "g/dL"),
            "increase above ULN of >0 - 20 g/L (2 g/dL): 1; >20 - 40 g/L: 2; >40 g/L (4 g/dL): 3",
            m => m.UpperLimit is not { } uln ? LabGrade.Missing("upper limit of normal (ANRHI)")
                : Above(m.Value!.Value - uln, m, Bands((3, Pick(40, 4)), (2, Pick(20, 2)), (1, 0)), null));
        yield return High("INR increased", "INR increased", none,
            ">1.2 - 1.5 or >1 - 1.5 x baseline: 1; >1.5 - 2.5 (x baseline): 2; >2.5 (x baseline): 3; the worse of the two, assuming the subject is on anticoagulation, so a baseline is required",
            m => m.Baseline is null ? LabGrade.Missing("baseline (BASE)")
                : Worse(Above(m, Bands((3, 2.5m), (2, 1.5m), (1, 1.2m)), null), TimesBaseline(m, Bands((3, 2.5m), (2, 1.5m), (1, 1)))));
        foreach (var enzyme in new[] { "Lipase increased", "Serum amylase increased" })
        {
            yield return High(enzyme, enzyme, none,
                ">ULN - 1.5 x ULN: 1; >1.5 - 2.0 x ULN: 2; >2.0 - 5.0 x ULN: 3; >5.0 x ULN: 4, assuming signs or symptoms",
                m => TimesUpperLimit(m, Bands((4, 5), (3, 2), (2, 1.5m))));
        }

        yield return Low("Lymphocyte count decreased", "Lymphocyte count decreased", counts,
            "<LLN - 0.8 x 10^9/L: 1; <0.8 - 0.5: 2; <0.5 - 0.2: 3; <0.2 x 10^9/L: 4",
            m => Below(m, Bands((4, 0.2m), (3, 0.5m), (2, 0.8m)), 1));
        yield return High("Lymphocyte count increased", "Lymphocyte count increased", counts,
            ">4 - 20 x 10^9/L: 2; >20 x 10^9/L: 3 (grade 1 is not defined)",
            m => Above(m, Bands((3, 20), (2, 4)), null));
        yield return Low("Neutrophil count decreased", "Neutrophil count decreased", counts,
            "<LLN - 1.5 x 10^9/L: 1; <1.5 - 1.0: 2; <1.0 - 0.5: 3; <0.5 x 10^9/L: 4",
            m => Below(m, Bands((4, 0.5m), (3, 1.0m), (2, 1.5m)), 1));
        yield return Low("Platelet count decreased", "Platelet count decreased", counts,
            "<LLN - 75 x 10^9/L: 1; <75 - 50: 2; <50 - 25: 3; <25 x 10^9/L: 4",
            m => Below(m, Bands((4, 25), (3, 50), (2, 75)), 1));
        yield return Low("White blood cell decreased", "White blood cell decreased", counts,
            "<LLN - 3.0 x 10^9/L: 1; <3.0 - 2.0: 2; <2.0 - 1.0: 3; <1.0 x 10^9/L: 4",
            m => Below(m, Bands((4, 1), (3, 2), (2, 3)), 1));

        // Metabolism and nutrition disorders
        yield return Low("Acidosis", "Acidosis", none,
            "pH <normal but >=7.3: 1; pH <7.3: 3",
            m => Below(m, Bands((3, 7.3m)), 1));
        yield return High("Alkalosis", "Alkalosis", none,
            "pH >normal but <=7.5: 1; pH >7.5: 3",
            m => Above(m, Bands((3, 7.5m)), 1));
        yield return High("Hypercalcemia", "Hypercalcemia", Unit("mmol/L", "mg/dL"),
            "corrected serum calcium >ULN - 2.9 mmol/L (11.5 mg/dL): 1; >2.9 - 3.1 (12.5): 2; >3.1 - 3.4 (13.5): 3; >3.4 mmol/L: 4",
            m => Above(m, Bands((4, Pick(3.4m, 13.5m)), (3, Pick(3.1m, 12.5m)), (2, Pick(2.9m, 11.5m))), 1));
        yield return High("Hypercalcemia (Ionized)", "Hypercalcemia", Unit("mmol/L", "mg/dL"),
            "ionized calcium >ULN - 1.5 mmol/L: 1; >1.5 - 1.6: 2; >1.6 - 1.8: 3; >1.8 mmol/L: 4 (mg/dL = 4 x mmol/L)",
            m => Above(m, Bands((4, Pick(1.8m, 7.2m)), (3, Pick(1.6m, 6.4m)), (2, Pick(1.5m, 6.0m))), 1));
        yield return High("Hyperkalemia", "Hyperkalemia", mmol,
            ">ULN - 5.5 mmol/L: 1; >5.5 - 6.0: 2; >6.0 - 7.0: 3; >7.0 mmol/L: 4",
            m => Above(m, Bands((4, 7), (3, 6), (2, 5.5m)), 1));
        yield return High("Hypermagnesemia", "Hypermagnesemia", Unit("mmol/L", "mg/dL"),
            ">ULN - 1.23 mmol/L (3.0 mg/dL): 1; >1.23 - 3.30 (8.0): 3; >3.30 mmol/L: 4 (grade 2 is not defined)",
            m => Above(m, Bands((4, Pick(3.30m, 8.0m)), (3, Pick(1.23m, 3.0m))), 1));
        yield return High("Hypernatremia", "Hypernatremia", mmol,
            ">ULN - 150 mmol/L: 1; >150 - 155: 2; >155 - 160: 3; >160 mmol/L: 4",
            m => Above(m, Bands((4, 160), (3, 155), (2, 150)), 1));
        yield return High("Hypertriglyceridemia", "Hypertriglyceridemia", Unit("mmol/L", "mg/dL"),
            "1.71 - 3.42 mmol/L (150 - 300 mg/dL): 1; >3.42 - 5.7 (500): 2; >5.7 - 11.4 (1000): 3; >11.4 mmol/L: 4",
            m => Above(m, [new(4, Pick(11.4m, 1000)), new(3, Pick(5.7m, 500)), new(2, Pick(3.42m, 300)), new(1, Pick(1.71m, 150), Inclusive: true)], null));
        yield return High("Hyperuricemia", "Hyperuricemia", none,
            ">ULN: 3, assuming physiologic consequences",
            m => Above(m, [], 3));
        yield return Low("Hypoalbuminemia", "Hypoalbuminemia", Unit("g/L", "g/dL"),
            "<LLN - 30 g/L (3 g/dL): 1; <30 - 20 g/L: 2; <20 g/L (2 g/dL): 3",
            m => Below(m, Bands((3, Pick(20, 2)), (2, Pick(30, 3))), 1));
        yield return Low("Hypocalcemia", "Hypocalcemia", Unit("mmol/L", "mg/dL"),
            "corrected serum calcium <LLN - 2.0 mmol/L (8.0 mg/dL): 1; <2.0 - 1.75 (7.0): 2; <1.75 - 1.5 (6.0): 3; <1.5 mmol/L: 4",
            m => Below(m, Bands((4, Pick(1.5m, 6.0m)), (3, Pick(1.75m, 7.0m)), (2, Pick(2.0m, 8.0m))), 1));
        yield return Low("Hypocalcemia (Ionized)", "Hypocalcemia", Unit("mmol/L", "mg/dL"),
            "ionized calcium <LLN - 1.0 mmol/L: 1; <1.0 - 0.9: 2; <0.9 - 0.8: 3; <0.8 mmol/L: 4 (mg/dL = 4 x mmol/L)",
            m => Below(m, Bands((4, Pick(0.8m, 3.2m)), (3, Pick(0.9m, 3.6m)), (2, Pick(1.0m, 4.0m))), 1));
        yield return Low("Hypoglycemia", "Hypoglycemia", Unit("mmol/L", "mg/dL"),
            "<LLN - 3.0 mmol/L (55 mg/dL): 1; <3.0 - 2.2 (40): 2; <2.2 - 1.7 (30): 3; <1.7 mmol/L: 4",
            m => Below(m, Bands((4, Pick(1.7m, 30)), (3, Pick(2.2m, 40)), (2, Pick(3.0m, 55))), 1));
        yield return Low("Hypokalemia", "Hypokalemia", mmol,
            "<LLN - 3.0 mmol/L: 2 (assuming symptomatic); <3.0 - 2.5: 3; <2.5 mmol/L: 4",
            m => Below(m, Bands((4, 2.5m), (3, 3.0m)), 2));
        yield return Low("Hypomagnesemia", "Hypomagnesemia", Unit("mmol/L", "mg/dL"),
            "<LLN - 0.5 mmol/L (1.2 mg/dL): 1; <0.5 - 0.4 (0.9): 2; <0.4 - 0.3 (0.7): 3; <0.3 mmol/L: 4",
            m => Below(m, Bands((4, Pick(0.3m, 0.7m)), (3, Pick(0.4m, 0.9m)), (2, Pick(0.5m, 1.2m))), 1));
        yield return Low("Hyponatremia", "Hyponatremia", mmol,
            "<LLN - 130 mmol/L: 1; 125 - 129: 3 (assuming symptomatic); 120 - 124: 3; <120 mmol/L: 4",
            m => Below(m, Bands((4, 120), (3, 130)), 1));
    }
}
