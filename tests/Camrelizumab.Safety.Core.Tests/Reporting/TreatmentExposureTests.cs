using Camrelizumab.Safety.Core.Reporting;
using Camrelizumab.Safety.Core.Subjects;

namespace Camrelizumab.Safety.Core.Tests.Reporting;

/// <summary>Exposure and disposition figures from EX and DS records (issue #14, item 4), as pure functions.</summary>
public sealed class TreatmentExposureTests
{
    private static readonly DateOnly Day0 = new(2026, 3, 2);

    [Theory]
    [InlineData("CAMRELIZUMAB", "mg", StudyTreatment.Camrelizumab)]
    [InlineData("Camrelizumab 200 mg IV", null, StudyTreatment.Camrelizumab)]
    [InlineData("SHR-1210", "mg", StudyTreatment.Camrelizumab)]
    [InlineData("卡瑞利珠单抗", "mg", StudyTreatment.Camrelizumab)]
    [InlineData("RADIOTHERAPY", "Gy", StudyTreatment.Radiotherapy)]
    [InlineData("IMRT", null, StudyTreatment.Radiotherapy)]
    [InlineData("Thoracic radiation", null, StudyTreatment.Radiotherapy)]
    [InlineData("放疗", "Gy", StudyTreatment.Radiotherapy)]
    [InlineData("BOOST", "cGy", StudyTreatment.Radiotherapy)]
    [InlineData("PLACEBO", "mg", StudyTreatment.Other)]
    [InlineData("XANOMELINE", "mg", StudyTreatment.Other)]
    public void Classify_TellsTheStudyTreatments(string treatment, string? unit, StudyTreatment expected) =>
        Assert.Equal(expected, TreatmentExposure.Classify(new ExposureRecord("S", "1", treatment, Day0) { Unit = unit }));

    [Theory]
    [InlineData("200", null, 0, 1)] // one infusion
    [InlineData("200", "ONCE", 0, 1)]
    [InlineData("200", "Q2W", 0, 1)]
    [InlineData("0", null, 0, 0)] // recorded as not given
    [InlineData("54", "QD", 14, 15)] // a daily patch over 15 days (the CDISC pilot's shape)
    [InlineData("54", "BID", 1, 4)]
    [InlineData(null, null, 0, 1)] // dose not reported: still an administration
    public void Administrations_CountsWhatARecordStandsFor(string? dose, string? frequency, int extraDays, int expected) =>
        Assert.Equal(expected, TreatmentExposure.Administrations(new ExposureRecord("S", "1", "CAMRELIZUMAB", Day0)
        {
            Dose = dose is null ? null : decimal.Parse(dose, System.Globalization.CultureInfo.InvariantCulture),
            Frequency = frequency,
            End = Day0.AddDays(extraDays),
        }));

    public static TheoryData<string, int[], decimal?[], string?, int, int, double?> Schedules => new()
    {
        // name, days given, dose each (mg), unit, administrations, duration days, relative dose intensity
        { "on schedule", [0, 14, 28, 42, 56], [200, 200, 200, 200, 200], "mg", 5, 57, 1.0 },
        { "one dose a week late", [0, 14, 28, 42, 63], [200, 200, 200, 200, 200], "mg", 5, 64, 1000.0 / 1100 },
        { "reduced to 150 mg", [0, 14, 28, 42, 56], [200, 200, 200, 150, 150], "mg", 5, 57, 0.9 },
        { "a single dose", [0], [200], "mg", 1, 1, 1.0 },
        { "a dose recorded as 0 is not given", [0, 14, 28], [200, 0, 200], "mg", 2, 29, 400.0 / 600 },
        { "unit missing: no dose figures", [0, 14], [200, 200], null, 2, 15, null },
        { "a dose missing: no dose figures", [0, 14], [200, null], "mg", 2, 15, null },
        { "a weight-based unit is not compared with 200 mg", [0, 14], [3, 3], "mg/kg", 2, 15, null },
    };

    [Theory]
    [MemberData(nameof(Schedules))]
    public void Camrelizumab_GivesAdministrationsDurationAndDoseIntensity(string name, int[] days, decimal?[] doses, string? unit, int administrations, int duration, double? intensity)
    {
        var records = days.Select((d, i) => new ExposureRecord("S", "1", "CAMRELIZUMAB", Day0.AddDays(d)) { Dose = doses[i], Unit = unit })
            .Append(new ExposureRecord("S", "1", "RADIOTHERAPY", Day0.AddDays(200)) { Dose = 2, Unit = "Gy" }); // not camrelizumab

        var exposure = Assert.Single(TreatmentExposure.Camrelizumab(records, PlannedRegimen.Camrelizumab));

        Assert.Equal((administrations, duration), (exposure.Administrations, exposure.DurationDays));
        if (intensity is null)
        {
            Assert.Null(exposure.RelativeDoseIntensity);
            Assert.Null(exposure.CumulativeDoseMg);
        }
        else
        {
            Assert.Equal(intensity.Value, exposure.RelativeDoseIntensity!.Value, 9);
        }

        Assert.False(string.IsNullOrEmpty(name));
    }

    [Fact]
    public void Radiotherapy_AddsFractionsAndConvertsCentigray()
    {
        var records = Enumerable.Range(0, 25).Select(i => new ExposureRecord("S", "A", "RADIOTHERAPY", Day0.AddDays(i)) { Dose = 2, Unit = "Gy" })
            .Concat(Enumerable.Range(0, 30).Select(i => new ExposureRecord("S", "B", "IMRT", Day0.AddDays(i)) { Dose = 180, Unit = "cGy" }))
            .Concat([new ExposureRecord("S", "C", "RADIOTHERAPY", Day0) { Dose = 2, Unit = "Gy" }, new ExposureRecord("S", "C", "RADIOTHERAPY", Day0.AddDays(1)) { Dose = 2 }])
            .Append(new ExposureRecord("S", "D", "CAMRELIZUMAB", Day0) { Dose = 200, Unit = "mg" });

        var delivered = TreatmentExposure.Radiotherapy(records);

        Assert.Equal(
            [("A", 25, (decimal?)50m), ("B", 30, 54m), ("C", 2, null)],
            delivered.Select(r => (r.SubjectId, r.Fractions, r.TotalGy)));
    }

    [Theory]
    [InlineData(20, 14)] // between doses: the last one before
    [InlineData(28, 28)] // on a dosing day
    [InlineData(-1, null)] // before the first dose
    [InlineData(400, 70)] // long after: the last radiotherapy fraction (days 60-70)
    public void LastDoseOnOrBefore_TakesCamrelizumabAndRadiotherapyNotOtherTreatments(int deathDay, int? expected)
    {
        List<ExposureRecord> records =
        [
            new("S", "1", "CAMRELIZUMAB", Day0) { Dose = 200, Unit = "mg" },
            new("S", "1", "CAMRELIZUMAB", Day0.AddDays(14)) { Dose = 200, Unit = "mg" },
            new("S", "1", "CAMRELIZUMAB", Day0.AddDays(28)) { Dose = 200, Unit = "mg" },
            new("S", "1", "CAMRELIZUMAB", Day0.AddDays(42)) { Dose = 0, Unit = "mg" }, // not given
            new("S", "1", "RADIOTHERAPY", Day0.AddDays(60)) { End = Day0.AddDays(70), Dose = 2, Unit = "Gy", Frequency = "QD" },
            new("S", "1", "DEXAMETHASONE", Day0.AddDays(300)) { Dose = 4, Unit = "mg" },
        ];

        var last = TreatmentExposure.LastDoseOnOrBefore(records, Day0.AddDays(deathDay));

        Assert.Equal(expected is { } d ? Day0.AddDays(d) : null, last);
    }

    [Fact]
    public void LastDoseOnOrBefore_DuringADailySpan_IsTheDeathDay() =>
        Assert.Equal(Day0.AddDays(65), TreatmentExposure.LastDoseOnOrBefore([new("S", "1", "RADIOTHERAPY", Day0.AddDays(60)) { End = Day0.AddDays(70), Dose = 2, Unit = "Gy", Frequency = "QD" }], Day0.AddDays(65)));

    [Fact]
    public void DispositionCounts_CountsEachSubjectOnceByItsLatestEnd()
    {
        var arm1 = new[] { "1", "2", "3" }.Select(id => new Subject("S", id, "CAM", Day0, Day0)).ToList();
        var arm2 = new[] { "4", "5" }.Select(id => new Subject("S", id, "CAMRT", Day0, Day0)).ToList();
        List<DispositionRecord> records =
        [
            new("S", "1", "ADVERSE EVENT", DispositionScope.Treatment, "DISPOSITION EVENT", Day0.AddDays(30)),
            new("S", "1", "DEATH", DispositionScope.Study, "DISPOSITION EVENT", Day0.AddDays(60)),
            new("S", "2", "PROGRESSIVE DISEASE", DispositionScope.Treatment, null, Day0.AddDays(10)),
            new("S", "2", "ADVERSE EVENT", DispositionScope.Treatment, null, Day0.AddDays(20)), // the later one counts
            new("S", "3", "RANDOMIZED", DispositionScope.Study, "PROTOCOL MILESTONE", Day0), // not a disposition event
            new("S", "4", "ONGOING", DispositionScope.Treatment, "DISPOSITION EVENT", null), // not an end
            new("S", "5", "PROGRESSIVE DISEASE", DispositionScope.Treatment, "DISPOSITION EVENT", Day0.AddDays(50)),
        ];

        var treatment = DispositionCounts.Tabulate([arm1, arm2], records, DispositionScope.Treatment);
        var study = DispositionCounts.Tabulate([arm1, arm2], records, DispositionScope.Study);

        Assert.Equal([("ADVERSE EVENT", new[] { 2, 0 }), ("PROGRESSIVE DISEASE", [0, 1]), (DispositionCounts.Ongoing, [1, 1])], treatment.Select(r => (r.Term, r.Counts.ToArray())));
        Assert.Equal([("DEATH", new[] { 1, 0 }), (DispositionCounts.Ongoing, [2, 2])], study.Select(r => (r.Term, r.Counts.ToArray())));
    }

    [Theory]
    [InlineData("STUDY TREATMENT", DispositionScope.Treatment)]
    [InlineData("TREATMENT", DispositionScope.Treatment)]
    [InlineData("STUDY DRUG", DispositionScope.Treatment)]
    [InlineData("STUDY PARTICIPATION", DispositionScope.Study)]
    [InlineData("FOLLOW-UP", DispositionScope.Study)]
    [InlineData(null, DispositionScope.Study)]
    public void ScopeOf_ReadsDsscatOrEpoch(string? text, DispositionScope expected) => Assert.Equal(expected, DispositionRecord.ScopeOf(text));
}
