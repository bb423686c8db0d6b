using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Core.Ingest;
using Camrelizumab.Safety.Core.Stopping;
using Camrelizumab.Safety.Core.Text;

namespace Camrelizumab.Safety.Core.Tests.Ingest;

public sealed class ExportReaderTests
{
    private const string Header = "study_id,subject_id,ae_id,verbatim_term,ctcae_term,meddra_code,grade,serious,related_camrelizumab,related_radiotherapy,onset_date,resolution_date,outcome";
    private static readonly SafetyRules Rules = SafetyRules.LoadDefaults() with { Study = "S" };

    private static List<RowResult> Read(string text, out ExportReader reader)
    {
        reader = ExportReader.Open(new StringReader(text), "site/ae.csv", "sha", Rules, CtcaeDictionary.V5);
        return [.. reader.ReadRows()];
    }

    private static RowRejection RejectionOf(string row)
    {
        var results = Read(Header + "\n" + row + "\n", out _);
        return Assert.IsType<RowResult.Rejected>(Assert.Single(results)).Rejection;
    }

    [Fact]
    public void ReadRows_ValidRow_BecomesCodedEvent()
    {
        var results = Read(Header + "\nS,BJ01-001,7,ALT up,Alanine aminotransferase increased,10001551,3,Y,Y,,2026-02,,\n", out var reader);

        var e = Assert.IsType<RowResult.AcceptedEvent>(Assert.Single(results)).Event;
        Assert.Equal(ExportKind.AdverseEvents, reader.Kind);
        Assert.Equal(("S", "BJ01-001", "7", "ALT up"), (e.StudyId, e.SubjectId, e.AeId, e.VerbatimTerm));
        Assert.Equal(("Alanine aminotransferase increased", "Investigations", 3), (e.Term!.Name, e.Term.Soc, e.Grade.Value));
        Assert.Equal((true, true, (bool?)null), (e.Serious, e.RelatedToCamrelizumab, e.RelatedToRadiotherapy));
        Assert.Equal("2026-02", e.Onset.ToString());
        Assert.Equal(2, e.Source.Line);
    }

    [Theory]
    // Every row-level rejection reason of the reader before queries existed, and what it is now. A row that identifies
    // a subject and an event is stored with a query and counted conservatively; only a row that cannot identify one (or
    // belongs to another study, or repeats a row exactly, or does not line up with the header) is refused.
    // Refused: no subject, so no one to count the event for.
    [InlineData("S,,1,x,Anemia,,2,N,N,,,,", "refused", "subject_id", null, "missing-value")]
    // Stored with a query: a control character in a subject id is removed (the query keeps the raw value).
    [InlineData("S,BJ\u0001,1,x,Anemia,,2,N,N,,,,", "query", "subject_id", "BJ\u0001", "identifier-normalized")]
    // Refused: no AE id and no onset, so nothing identifies the event against a later export.
    [InlineData("S,BJ01-001,,x,Anemia,,2,N,N,,,,", "refused", "ae_id", null, "missing-value")]
    // Refused: the cells do not line up with the header, so no column can be trusted.
    [InlineData("S,BJ01-001,1,x,Anemia,,2,N", "refused", "(row)", null, "field-count-mismatch")]
    // Refused: another study's row must never count in this trial (new: wrong-study).
    [InlineData("CDISCPILOT01,BJ01-001,1,x,Anemia,,2,N,N,,,,", "refused", "study_id", "CDISCPILOT01", "wrong-study")]
    // Query, counted as grade 3: missing-value on grade used to refuse the row.
    [InlineData("S,BJ01-001,1,x,Anemia,,,N,N,,,,", "query", "grade", null, "missing-grade")]
    // Query, counted as grade 3: invalid-grade used to refuse (CTCAE grades are 1-5).
    [InlineData("S,BJ01-001,1,x,Anemia,,0,N,N,,,,", "query", "grade", "0", "unreadable-grade")]
    [InlineData("S,BJ01-001,1,x,Anemia,,6,N,N,,,,", "query", "grade", "6", "unreadable-grade")]
    // Query, counted at the reported grade: grade-not-defined-for-term (Alopecia has grades 1-2, Proteinuria no 5).
    [InlineData("S,BJ01-001,1,x,Alopecia,,3,N,N,,,,", "query", "grade", "3", "grade-not-defined-for-term")]
    [InlineData("S,BJ01-001,1,x,Proteinuria,,5,N,N,,,,", "query", "grade", "5", "grade-not-defined-for-term")]
    // Query, counted in every term-independent rule: needs-coding used to refuse.
    [InlineData("S,BJ01-001,1,x,Feeling unwell,,2,N,N,,,,", "query", "ctcae_term", "Feeling unwell", "uncoded")]
    // Query, term text coded instead: invalid-meddra-code and meddra-code-not-found used to refuse.
    [InlineData("S,BJ01-001,1,x,Anemia,1234567,2,N,N,,,,", "query", "meddra_code", "1234567", "unusable-meddra-code")]
    [InlineData("S,BJ01-001,1,x,Anemia,99999999,2,N,N,,,,", "query", "meddra_code", "99999999", "unusable-meddra-code")]
    // Query, the code's term used: meddra-code-term-mismatch used to refuse (10035742 is Pneumonitis).
    [InlineData("S,BJ01-001,1,x,Anemia,10035742,2,N,N,,,,", "query", "meddra_code", "10035742", "meddra-code-term-mismatch")]
    // Query, counted as serious: invalid-flag on serious used to refuse.
    [InlineData("S,BJ01-001,1,x,Anemia,,2,maybe,N,,,,", "query", "serious", "maybe", "unreadable-serious-flag")]
    // Query, counted as related: invalid-flag on relatedness used to refuse.
    [InlineData("S,BJ01-001,1,x,Anemia,,2,N,perhaps,,,,", "query", "related_camrelizumab", "perhaps", "unreadable-related-flag")]
    // Query, onset taken as first dose: invalid-date on onset used to refuse.
    [InlineData("S,BJ01-001,1,x,Anemia,,2,N,N,,2026-13-45,,", "query", "onset_date", "2026-13-45", "unreadable-onset")]
    // Query, counted as a death: grade-5-without-fatal-outcome used to refuse.
    [InlineData("S,BJ01-001,1,x,Pneumonitis,,5,Y,Y,,2026-01-01,,RECOVERED/RESOLVED", "query", "outcome", "RECOVERED/RESOLVED", "grade-5-without-fatal-outcome")]
    // Query: no AE id, but subject + term + onset identify the event.
    [InlineData("S,BJ01-001,,x,Anemia,,2,N,N,,2026-01-05,,", "query", "ae_id", null, "missing-ae-id")]
    public void ReadRows_EveryFormerRejection_IsAQueryOrARefusalWithColumnValueAndReason(string row, string outcome, string column, string? raw, string code)
    {
        var result = Assert.Single(Read(Header + "\n" + row.Replace("\\u0001", "\u0001", StringComparison.Ordinal) + "\n", out _));
        raw = raw?.Replace("\\u0001", "\u0001", StringComparison.Ordinal);

        if (outcome == "refused")
        {
            var rejection = Assert.IsType<RowResult.Rejected>(result).Rejection;
            Assert.Equal(("site/ae.csv", 2L, column, raw, code), (rejection.FileName, rejection.Line, rejection.Column, rejection.RawValue, rejection.ReasonCode));
            Assert.False(string.IsNullOrWhiteSpace(rejection.Message));
            return;
        }

        var stored = Assert.IsType<RowResult.AcceptedEvent>(result).Event;
        var query = Assert.Single(stored.Queries, q => q.Code == code);
        Assert.Equal((column, raw), (query.Column, query.RawValue));
        Assert.False(string.IsNullOrWhiteSpace(query.Message));
    }

    [Fact]
    public void ReadRows_QueriedEvents_HoldTheConservativeReading()
    {
        var results = Read(Header + "\n" +
            "S,A-1,1,x,Anemia,,,maybe,perhaps,,2026-13-45,,\n" +
            "S,A-1,2,Patient found dead at home,,,,Y,Y,,,,FATAL\n" +
            "S,A-1,3,x,Pneumonitis,,5,Y,Y,,2026-01-01,,NOT RECOVERED\n" +
            "S,A-1,4,x,Alopecia,,3,N,Y,,,,RECOVERED\n", out _);

        var events = results.Select(r => Assert.IsType<RowResult.AcceptedEvent>(r).Event).ToList();

        // Missing grade → 3; unreadable serious → serious; unreadable related → related; unreadable onset → none (first dose).
        Assert.Equal((3, true, (bool?)true, (string?)null), (events[0].Grade.Value, events[0].Serious, events[0].RelatedToCamrelizumab, events[0].Onset?.ToString()));
        // Uncoded, no grade, fatal outcome → grade 5, uncoded, still a death.
        Assert.Equal((5, true, true), (events[1].Grade.Value, events[1].IsUncoded, events[1].IsFatal));
        // Grade 5 with a non-fatal outcome stays grade 5: counted as a death.
        Assert.True(events[2].IsFatal);
        // Alopecia 3 stays 3.
        Assert.Equal(("Alopecia", 3), (events[3].Term!.Name, events[3].Grade.Value));
    }

    [Fact]
    public void ReadRows_CodesVerbatimAndChineseTerms_AndRecordsTheMethod()
    {
        var text = "subject_id,ae_id,verbatim_term,grade\nA-1,1,放射性食管炎,2\nA-1,2,Radiation pneumonitis,3\nA-1,3,Pnuemonitis,1\nA-1,4,Feeling unwell,1\n";

        var results = Read(text, out var reader);

        var esophagitis = Assert.IsType<RowResult.AcceptedEvent>(results[0]).Event;
        Assert.Equal(("Esophagitis", Camrelizumab.Safety.Core.Coding.CodingMethod.Synonym, "放射性食管炎"), (esophagitis.Term!.Name, esophagitis.CodingMethod, esophagitis.VerbatimTerm));
        Assert.Equal("Pneumonitis", Assert.IsType<RowResult.AcceptedEvent>(results[1]).Event.Term!.Name);
        var fuzzy = Assert.IsType<RowResult.AcceptedEvent>(results[2]).Event;
        Assert.Equal(Camrelizumab.Safety.Core.Coding.CodingMethod.Fuzzy, fuzzy.CodingMethod);
        Assert.True(fuzzy.CodingConfidence is >= 0.9 and < 1);
        var uncoded = Assert.IsType<RowResult.AcceptedEvent>(results[3]).Event;
        Assert.True(uncoded.IsUncoded);
        Assert.Equal("uncoded", Assert.Single(uncoded.Queries).Code);
        Assert.Equal(2, reader.CodedForReview.Count);
        Assert.Equal(1, reader.CodingByMethod["synonym"]);
    }

    [Theory]
    // Severity-only exports (SDTM AESEV) map to grades and are marked derived.
    [InlineData("MILD", 1)]
    [InlineData("Moderate", 2)]
    [InlineData("SEVERE", 3)]
    [InlineData("Life-threatening", 4)]
    public void ReadRows_SeverityOnly_DerivesTheGrade(string severity, int grade)
    {
        var text = $"USUBJID,AESEQ,AEDECOD,AESEV\nA-1,1,Anemia,{severity}\n";

        var e = Assert.IsType<RowResult.AcceptedEvent>(Assert.Single(Read(text, out _))).Event;

        Assert.Equal(grade, e.Grade.Value);
        Assert.True(e.GradeDerivedFromSeverity);
    }

    [Fact]
    public void ReadRows_UnknownSeverity_IsAQuery_CountedAsGrade3()
    {
        var stored = Assert.IsType<RowResult.AcceptedEvent>(Assert.Single(Read("USUBJID,AESEQ,AEDECOD,AESEV\nA-1,1,Anemia,BAD\n", out _))).Event;

        var query = Assert.Single(stored.Queries);
        Assert.Equal(("AESEV", "BAD", "unreadable-grade", 3), (query.Column, query.RawValue, query.Code, stored.Grade.Value));
    }

    [Theory]
    // CTCAE v5.0 grade 5 is death related to the AE: it needs a fatal outcome or a death date where the export has them.
    [InlineData("AEOUT,AEDTHDTC\nA-1,1,Pneumonitis,5,FATAL,", true)]
    [InlineData("AEOUT,AEDTHDTC\nA-1,1,Pneumonitis,5,,2026-03-01", true)]
    [InlineData("AEOUT,AEDTHDTC\nA-1,1,Pneumonitis,5,,", false)]
    [InlineData("AEOUT,AEDTHDTC\nA-1,1,Pneumonitis,5,RECOVERED/RESOLVED,", false)]
    [InlineData("AEOUT\nA-1,1,Pneumonitis,5,", true)] // neither column filled and no death-date column: nothing to check against
    public void ReadRows_Grade5_MustAgreeWithOutcomeOrDeathDate(string tail, bool agrees)
    {
        var parts = tail.Split("\n");
        var text = $"USUBJID,AESEQ,AEDECOD,AETOXGR,{parts[0]}\n{parts[1]}\n";

        var stored = Assert.IsType<RowResult.AcceptedEvent>(Assert.Single(Read(text, out _))).Event;

        // Stored and counted as a death either way; a disagreement is a query.
        Assert.True(stored.IsFatal);
        Assert.Equal(agrees, !stored.Queries.Any(q => q.Code == "grade-5-without-fatal-outcome"));
    }

    [Fact]
    public void ReadRows_DuplicateAndConflictingRows_AreReported()
    {
        var text = Header + "\n" +
            "S,BJ01-001,1,x,Anemia,,2,N,N,,,,\n" +
            "S,BJ01-001,1,x,Anemia,,2,N,N,,,,\n" +
            "S,BJ01-001,1,x,Anemia,,3,Y,N,,,,\n";

        var results = Read(text, out var reader);

        Assert.IsType<RowResult.AcceptedEvent>(results[0]);
        Assert.Equal("duplicate-row", Assert.IsType<RowResult.Rejected>(results[1]).Rejection.ReasonCode);
        var conflicting = Assert.IsType<RowResult.AcceptedEvent>(results[2]).Event;
        Assert.Equal("conflicting-duplicate-id", Assert.Single(conflicting.Queries).Code);
        Assert.EndsWith(".L4", conflicting.AeId, StringComparison.Ordinal);
        Assert.Equal(3, reader.RowsRead);
    }

    [Fact]
    public void ReadRows_SdtmColumnNames_AreRecognised()
    {
        var text = "STUDYID,USUBJID,AESEQ,AETERM,AEDECOD,AETOXGR,AESER,AEREL,AESTDTC\nS,01-701-1015,1,APPLICATION SITE ERYTHEMA,Anemia,2,N,PROBABLE,2014-01-03\n";

        var e = Assert.IsType<RowResult.AcceptedEvent>(Assert.Single(Read(text, out _))).Event;

        Assert.Equal(("01-701-1015", "1", true), (e.SubjectId, e.AeId, e.RelatedToCamrelizumab));
    }

    [Fact]
    public void ReadRows_Roster_MapsArmAliasesAndRejectsUnknownArms()
    {
        var text = "subject_id,arm,randomization_date,first_dose_date\nA-1,Camrelizumab + RT,2026-01-01,2026-01-03\nA-2,B,2026-01-02,\nA-3,Placebo,2026-01-02,\nA-4,CAM,2026-01,\n";

        var results = Read(text, out var reader);

        Assert.Equal(ExportKind.SubjectRoster, reader.Kind);
        Assert.Equal("CAMRT", Assert.IsType<RowResult.AcceptedSubject>(results[0]).Subject.Arm);
        Assert.Null(Assert.IsType<RowResult.AcceptedSubject>(results[1]).Subject.FirstDoseDate);
        Assert.Equal("unknown-arm", Assert.IsType<RowResult.Rejected>(results[2]).Rejection.ReasonCode);
        Assert.Equal("invalid-date", Assert.IsType<RowResult.Rejected>(results[3]).Rejection.ReasonCode);
    }

    [Fact]
    public void Open_UnrecognisedHeader_ThrowsNamingColumns()
    {
        var ex = Assert.Throws<ExportFormatException>(() => Read("foo,bar\n1,2\n", out _));

        Assert.Equal("unrecognised-header", ex.ReasonCode);
        Assert.Contains("'foo', 'bar'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_EmptyFile_Throws() =>
        Assert.Equal("empty-file", Assert.Throws<ExportFormatException>(() => Read("", out _)).ReasonCode);
}

public sealed class ExportReaderLabTests
{
    [Fact]
    public void ReadRows_QueriesAReportedGradeTheLabResultDoesNotSupport_AndKeepsTheEvent()
    {
        // Neutrophil count decreased: 0.8 x 10^9/L is grade 3 ("<1.0 - 0.5"); 1.2 is grade 2; the US row is 0.4 x 10^3/uL, grade 4.
        var text = "subject_id,ae_id,ctcae_term,grade,AVAL,AVALU,ANRLO,ANRHI\n" +
                   "A-1,1,Neutrophil count decreased,2,0.8,10^9/L,2.0,7.5\n" +
                   "A-1,2,Neutrophil count decreased,2,1.2,10^9/L,2.0,7.5\n" +
                   "A-1,3,Neutrophil count decreased,3,0.4,10^3/uL,2.0,7.5\n" +
                   "A-1,4,Fatigue,2,0.4,10^3/uL,,\n" +
                   "A-1,5,Neutrophil count decreased,2,low,10^9/L,2.0,7.5\n";
        var reader = ExportReader.Open(new StringReader(text), "labs.csv", "sha", SafetyRules.LoadDefaults(), CtcaeDictionary.V5);

        var results = reader.ReadRows().ToList();

        Assert.Equal(5, results.Count(r => r is RowResult.AcceptedEvent));
        var unreadable = Assert.Single(Assert.IsType<RowResult.AcceptedEvent>(results[4]).Event.Queries);
        Assert.Equal(("AVAL", "low", "unreadable-lab-value"), (unreadable.Column, unreadable.RawValue, unreadable.Code));
        Assert.Equal("lab-grade-differs", Assert.Single(Assert.IsType<RowResult.AcceptedEvent>(results[0]).Event.Queries).Code);
        Assert.Equal(
            [(2L, 2, 3), (4L, 3, 4)],
            reader.LabGradeQueries.Select(q => (q.Line, q.ReportedGrade, q.LabGrade)));
    }
}
