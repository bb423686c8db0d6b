using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Core.Ingest;
using Camrelizumab.Safety.Core.Stopping;
using Camrelizumab.Safety.Core.Summaries;
using Camrelizumab.Safety.Core.Tabular;

namespace Camrelizumab.Safety.Core.Tests.Ingest;

/// <summary>
/// One reading of an AE row: each row is read by ingest (<see cref="ExportReader"/>) and counted by
/// <see cref="ExportSummarizer"/> with the pipeline's population, and both give the same grade, fatal, serious, related
/// and treatment-emergent reading.
/// </summary>
public sealed class AeRowReadingTests
{
    private static readonly SafetyRules Rules = SafetyRules.LoadDefaults() with { Study = "S" };

    [Theory]
    // CTCAE v5.0 grade 5 is death: AESDTH = Y with no grade imputes grade 5 (it was grade 3 at ingest).
    [InlineData("USUBJID,AESEQ,AEDECOD,AETOXGR,AESDTH", "BJ01-001,1,Pneumonitis,,Y", 5, true, false, true, true)]
    // AESDTH = Y makes a grade 3 AE fatal in the pipeline too (it was fatal only in summarize).
    [InlineData("USUBJID,AESEQ,AEDECOD,AETOXGR,AESDTH", "BJ01-001,1,Pneumonitis,3,Y", 3, true, false, true, true)]
    // A death date on the AE row is a death for both (summarize ignored it).
    [InlineData("subject_id,ae_id,verbatim_term,grade,death_date", "BJ01-001,1,Sepsis,4,2026-03-01", 4, true, false, true, true)]
    // Related to radiotherapy only is treatment-related (summarize read only the camrelizumab column).
    [InlineData("subject_id,ae_id,verbatim_term,grade,related_camrelizumab,related_radiotherapy", "BJ01-001,1,Esophagitis,2,N,Y", 2, false, false, true, true)]
    // ADaM AREL is the generic relatedness column, as AEREL (ingest did not read it): NONE is not related.
    [InlineData("USUBJID,AESEQ,AEDECOD,AETOXGR,AREL", "BJ01-001,1,Fatigue,1,NONE", 1, false, false, false, true)]
    // An unreadable serious flag counts as serious (summarize counted it as not serious).
    [InlineData("subject_id,ae_id,verbatim_term,grade,serious", "BJ01-001,1,Diarrhea,2,unknown", 2, false, true, true, true)]
    // An empty grade counts as grade 3 with a query (summarize refused the row).
    [InlineData("subject_id,ae_id,verbatim_term,grade,serious", "BJ01-001,1,Anemia,,N", 3, false, false, true, true)]
    // An unknown severity word counts as grade 3 (summarize refused the row).
    [InlineData("USUBJID,AESEQ,AETERM,AESEV", "BJ01-001,1,Nausea,VERY BAD", 3, false, false, true, true)]
    // ADaM TRTEMFL is Y or empty: empty is not treatment-emergent (ingest counted it).
    [InlineData("USUBJID,AESEQ,AEDECOD,AETOXGR,TRTEMFL", "BJ01-001,1,Pneumonitis,3,", 3, false, false, true, false)]
    public void IngestAndSummarize_ReadTheRowAlike(string header, string row, int grade, bool fatal, bool serious, bool related, bool counted)
    {
        // Arrange
        var events = header + "\n" + row + "\n";
        const string Roster = "subject_id,arm\nBJ01-001,CAM\n";

        // Act
        var reader = ExportReader.Open(new StringReader(events), "ae.csv", "sha", Rules, CtcaeDictionary.V5);
        var stored = Assert.IsType<RowResult.AcceptedEvent>(Assert.Single(reader.ReadRows())).Event;
        using var subjectTable = new CsvTableReader(new StringReader(Roster));
        using var eventTable = new CsvTableReader(new StringReader(events));
        var summary = new ExportSummarizer().Summarize(subjectTable, "roster.csv", eventTable, "ae.csv", population: SummaryPopulation.Roster);

        // Assert: ingest's stored event; the pipeline counts it unless flagged not treatment-emergent.
        Assert.Equal((grade, fatal, serious, related, counted), (stored.Grade.Value, stored.IsFatal, stored.Serious is true, stored.IsTreatmentRelated, stored.TreatmentEmergent is not false));
        var arm = summary.Arms["CAM"];
        Assert.Equal(0, summary.Rejected);
        Assert.Equal(counted ? 1 : 0, arm.SubjectsWithAnyEvent);
        if (counted)
        {
            Assert.Equal(1, arm.SubjectsByWorstGrade[grade.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            Assert.Equal((fatal, serious, related), (arm.SubjectsWithFatal == 1, arm.SubjectsWithSerious == 1, arm.SubjectsWithRelated == 1));
        }
    }

    [Theory]
    // ICH E9 safety population: the actual arm (ACTARM) before the planned one (ARMCD), wherever the columns stand.
    [InlineData("USUBJID,ARMCD,ARM,ACTARMCD,ACTARM", "BJ01-001,CAM,Camrelizumab,CAMRT,Camrelizumab + RT", "CAMRT")]
    // ADaM TRT01A (actual) before ARM (planned).
    [InlineData("USUBJID,ARM,TRT01A,SAFFL", "BJ01-001,Camrelizumab,Camrelizumab + RT,Y", "CAMRT")]
    public void Roster_ArmIsTheActualTreatment_ForIngestAndSummarize(string header, string row, string arm)
    {
        var roster = header + "\n" + row + "\n";

        var reader = ExportReader.Open(new StringReader(roster), "dm.csv", "sha", Rules, CtcaeDictionary.V5);
        var subject = Assert.IsType<RowResult.AcceptedSubject>(Assert.Single(reader.ReadRows())).Subject;
        using var subjectTable = new CsvTableReader(new StringReader(roster));
        using var eventTable = new CsvTableReader(new StringReader("USUBJID,AESEQ,AEDECOD,AETOXGR\nBJ01-001,1,Fatigue,1\n"));
        var summary = new ExportSummarizer().Summarize(subjectTable, "dm.csv", eventTable, "ae.csv", population: SummaryPopulation.Roster);

        Assert.Equal(arm, subject.Arm);
        Assert.Equal(arm, Rules.FindArm(Assert.Single(summary.Arms).Key)!.Code);
    }

    [Theory]
    // The safety population of the CDISC pilot's tables: dosed subjects only (DM RFXSTDTC filled).
    [InlineData(SummaryPopulation.Dosed, 1)]
    // The pipeline's roster: a subject not yet dosed is in the arm, as ingest stores it.
    [InlineData(SummaryPopulation.Roster, 2)]
    public void Summarize_Population_DecidesWhetherAnUndosedSubjectIsInTheDenominator(SummaryPopulation population, int subjects)
    {
        using var subjectTable = new CsvTableReader(new StringReader("USUBJID,ARM,RFXSTDTC\nBJ01-001,CAM,2026-01-05\nBJ01-002,CAM,\n"));
        using var eventTable = new CsvTableReader(new StringReader("USUBJID,AESEQ,AEDECOD,AETOXGR\nBJ01-002,1,Fatigue,1\n"));

        var summary = new ExportSummarizer().Summarize(subjectTable, "dm.csv", eventTable, "ae.csv", population: population);

        Assert.Equal(subjects, summary.Arms["CAM"].Subjects);
        Assert.Equal(subjects - 1, summary.Arms["CAM"].SubjectsWithAnyEvent);
    }
}
