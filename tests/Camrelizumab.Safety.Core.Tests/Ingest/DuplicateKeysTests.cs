using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Core.Ingest;
using Camrelizumab.Safety.Core.Stopping;

namespace Camrelizumab.Safety.Core.Tests.Ingest;

/// <summary>One key twice in a file is a per-row outcome, never two rows of one table key (a refused batch).</summary>
public sealed class DuplicateKeysTests
{
    private static readonly SafetyRules Rules = SafetyRules.LoadDefaults() with { Study = "S" };

    private static List<RowResult> Read(string text) =>
        [.. ExportReader.Open(new StringReader(text), "site/file.csv", "sha", Rules, CtcaeDictionary.V5).ReadRows()];

    [Fact]
    public void ReadRows_RosterWithASubjectTwice_KeepsTheFirst_RefusesRepeatsAndConflictsPerRow()
    {
        var results = Read("""
            study_id,subject_id,arm,randomization_date,first_dose_date
            S,BJ01-001,CAM,2026-01-05,2026-01-08
            S,BJ01-002,CAMRT,2026-01-06,2026-01-09
            S,BJ01-001,CAMRT,2026-01-05,2026-01-08
            S,BJ01-002,CAMRT,2026-01-06,2026-01-09
            S,BJ01-002,CAMRT,2026-01-06,2026-01-12
            S,BJ01-003,CAM,2026-01-07,2026-01-10
            """);

        Assert.Equal(["BJ01-001", "BJ01-002", "BJ01-003"], results.OfType<RowResult.AcceptedSubject>().Select(s => s.Subject.SubjectId));
        Assert.Equal("CAM", results.OfType<RowResult.AcceptedSubject>().First().Subject.Arm);
        Assert.Equal(
            [(4L, "arm", "CAMRT", "conflicting-subject"), (5L, "(row)", null, "duplicate-row"), (6L, "(row)", null, "conflicting-subject")],
            results.OfType<RowResult.Rejected>().Select(r => (r.Rejection.Line, r.Rejection.Column, r.Rejection.RawValue, r.Rejection.ReasonCode)));
        Assert.Contains("Line 2 gives arm CAM.", results.OfType<RowResult.Rejected>().First().Rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadRows_ConflictingDuplicateIdThatCollidesWithALiteralId_KeepsBothUnderDistinctIds()
    {
        // Line 2's AE id is literally "5.L4"; line 4 repeats AE id 5 with other content and would be renamed "5.L4".
        var results = Read("""
            study_id,subject_id,ae_id,verbatim_term,grade
            S,BJ01-001,5.L4,Fatigue,1
            S,BJ01-001,5,Fatigue,1
            S,BJ01-001,5,Fatigue,2
            """);

        var ids = results.OfType<RowResult.AcceptedEvent>().Select(e => e.Event.AeId).ToList();
        Assert.Equal(3, ids.Count);
        Assert.Equal(3, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void HoldsEvent_AnswersForEveryKeyTheFileHolds_AndForNoOther()
    {
        // The index keeps hashes, not ids: where one id ends and the other begins must still count ("BJ01-00"+"15" is
        // not "BJ01-001"+"5"), a renamed repeat is held under its new id, a row refused as an exact repeat still says
        // its AE exists, and a row with neither an AE id nor an onset to stand for one holds none.
        var reader = ExportReader.Open(new StringReader("""
            study_id,subject_id,ae_id,verbatim_term,grade
            S,BJ01-001,5,Fatigue,1
            S,BJ01-001,5,Fatigue,2
            S,BJ01-002,7,Fatigue,1
            S,BJ01-002,7,Fatigue,1
            S,BJ01-003,,Fatigue,1
            """), "site/file.csv", "sha", Rules, CtcaeDictionary.V5);
        var results = reader.ReadRows().ToList();

        Assert.Equal(5, results.Count);
        Assert.True(reader.HoldsEvent("BJ01-001", "5"));
        Assert.True(reader.HoldsEvent("BJ01-001", "5.L3"));
        Assert.True(reader.HoldsEvent("BJ01-002", "7"));
        Assert.False(reader.HoldsEvent("BJ01-00", "15"));
        Assert.False(reader.HoldsEvent("BJ01-0015", ""));
        Assert.False(reader.HoldsEvent("BJ01-002", "5"));
        Assert.False(reader.HoldsEvent("BJ01-001", "7"));
        Assert.Equal(["BJ01-001", "BJ01-002"], reader.EventSubjects.Order(StringComparer.Ordinal));
    }
}
