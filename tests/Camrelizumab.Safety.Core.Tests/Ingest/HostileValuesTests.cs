using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Core.Ingest;
using Camrelizumab.Safety.Core.Stopping;

namespace Camrelizumab.Safety.Core.Tests.Ingest;

/// <summary>Values a site export should never hold but sometimes does: each is stored with a query or refused with a reason.</summary>
public sealed class HostileValuesTests
{
    private const string Header = "study_id,subject_id,ae_id,verbatim_term,grade,serious,onset_date,resolution_date";
    private static readonly SafetyRules Rules = SafetyRules.LoadDefaults() with { Study = "S" };
    private static readonly DateOnly ReceivedOn = new(2026, 11, 24);

    private static RowResult ReadOne(string header, string row)
    {
        var reader = ExportReader.Open(new Core.Tabular.CsvTableReader(new StringReader(header + "\n" + row + "\n")), "site/ae.csv", "sha", Rules, CtcaeDictionary.V5, null, ReceivedOn);
        return Assert.Single(reader.ReadRows());
    }

    [Theory]
    // U+2010 HYPHEN pasted from a word processor: the roster's S04-0052 must match, so it is stored as S04-0052.
    [InlineData("S04\u20100052", "S04-0052")]
    // U+2212 MINUS SIGN and U+FF0D FULLWIDTH HYPHEN-MINUS: the same hyphen to a reader.
    [InlineData("S04\u22120052", "S04-0052")]
    [InlineData("S04\uFF0D0052", "S04-0052")]
    // A zero-width space no one can see, and a soft hyphen: removed.
    [InlineData("S04-\u200B0052", "S04-0052")]
    [InlineData("S04-00\u00AD52", "S04-0052")]
    // Full-width letters and digits (an IME left in full-width mode): NFKC gives ASCII.
    [InlineData("\uFF33\uFF10\uFF14-0052", "S04-0052")]
    // U+202E RIGHT-TO-LEFT OVERRIDE reorders what a reader sees, not the characters: removed, and the query keeps the
    // raw value (here it displays as S04-0052 but the characters say S04-2500, which is what is stored).
    [InlineData("S04-\u202E2500", "S04-2500")]
    // U+2066 LEFT-TO-RIGHT ISOLATE: the same family.
    [InlineData("\u2066S04-0052", "S04-0052")]
    // A control character (U+0007 BELL).
    [InlineData("S04-0052\u0007", "S04-0052")]
    public void LookAlikeSubjectId_IsStoredNormalized_WithAQuery(string raw, string stored)
    {
        var result = ReadOne(Header, $"S,{raw},1,Anemia,2,N,2026-03-01,");

        var e = Assert.IsType<RowResult.AcceptedEvent>(result).Event;
        Assert.Equal(stored, e.SubjectId);
        var query = Assert.Single(e.Queries);
        Assert.Equal(("identifier-normalized", "subject_id", raw), (query.Code, query.Column, query.RawValue));
        Assert.EndsWith($"Stored as '{stored}'.", query.Message, StringComparison.Ordinal);
    }

    [Theory]
    // An undecodable byte (U+FFFD): the id is not known.
    [InlineData("S04-00\uFFFD2", "U+FFFD REPLACEMENT CHARACTER")]
    // A private-use character: no one knows what it stands for.
    [InlineData("S04-00\uE0005", "U+E000")]
    public void SubjectIdWithAnUnknownCharacter_IsRefused_NamingIt(string raw, string named)
    {
        var result = ReadOne(Header, $"S,{raw},1,Anemia,2,N,2026-03-01,");

        var rejection = Assert.IsType<RowResult.Rejected>(result).Rejection;
        Assert.Equal(("invalid-identifier", "subject_id"), (rejection.ReasonCode, rejection.Column));
        Assert.Contains(named, rejection.Message, StringComparison.Ordinal);
    }

    [Theory]
    // A flat "grade" and SDTM AETOXGR that disagree: the higher grade counts, whichever column comes first.
    [InlineData("2", "3", 3, "grade says 2, AETOXGR says 3; counted as grade 3.")]
    [InlineData("4", "1", 4, "grade says 4, AETOXGR says 1; counted as grade 4.")]
    public void TwoGradeColumnsThatDisagree_CountTheHigher_WithAQuery(string grade, string toxGrade, int counted, string detail)
    {
        var result = ReadOne(Header + ",AETOXGR", $"S,S04-0052,1,Anemia,{grade},N,2026-03-01,,{toxGrade}");

        var e = Assert.IsType<RowResult.AcceptedEvent>(result).Event;
        Assert.Equal(counted, e.Grade.Value);
        var query = Assert.Single(e.Queries);
        Assert.Equal(("grades-disagree", "grade", grade), (query.Code, query.Column, query.RawValue));
        Assert.EndsWith(detail, query.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoGradeColumnsThatAgree_HaveNoQuery()
    {
        var e = Assert.IsType<RowResult.AcceptedEvent>(ReadOne(Header + ",AETOXGR", "S,S04-0052,1,Anemia,2,N,2026-03-01,,2")).Event;

        Assert.Equal(2, e.Grade.Value);
        Assert.Empty(e.Queries);
    }

    [Theory]
    // An onset after the day the file arrived (2031 for 2021): stored as missing (counted from the first dose), queried.
    [InlineData("2031-03-01", "", "onset-after-receipt", "onset_date", "2031-03-01", null, null)]
    // A partial onset that can only be later than receipt.
    [InlineData("2026-12", "", "onset-after-receipt", "onset_date", "2026-12", null, null)]
    // A resolution before the onset: counted as not resolved, queried; the onset stands.
    [InlineData("2026-03-10", "2026-03-01", "resolution-before-onset", "resolution_date", "2026-03-01", "2026-03-10", null)]
    public void ImpossibleDates_AreStoredAsMissing_WithAQuery(string onset, string resolution, string code, string column, string raw, string? storedOnset, string? storedResolution)
    {
        var e = Assert.IsType<RowResult.AcceptedEvent>(ReadOne(Header, $"S,S04-0052,1,Anemia,2,N,{onset},{resolution}")).Event;

        var query = Assert.Single(e.Queries);
        Assert.Equal((code, column, raw), (query.Code, query.Column, query.RawValue));
        Assert.Equal((storedOnset, storedResolution), (e.Onset?.ToString(), e.Resolution?.ToString()));
    }

    [Theory]
    // The day of receipt itself and a resolution on the onset day are possible: no query.
    [InlineData("2026-11-24", "2026-11-24")]
    [InlineData("2026-11", "2026-11-02")]
    public void PossibleDates_HaveNoQuery(string onset, string resolution)
    {
        var e = Assert.IsType<RowResult.AcceptedEvent>(ReadOne(Header, $"S,S04-0052,1,Anemia,2,N,{onset},{resolution}")).Event;

        Assert.Empty(e.Queries);
    }

    [Fact]
    public void CellWithAnUndecodableByte_IsQueried_NamingItsColumn()
    {
        var e = Assert.IsType<RowResult.AcceptedEvent>(ReadOne(Header, "S,S04-0052,1,恶\uFFFD心,2,N,2026-03-01,")).Event;

        Assert.Contains(e.Queries, q => (q.Code, q.Column, q.RawValue) == ("undecodable-text", "verbatim_term", "恶\uFFFD心"));
        Assert.Equal(2, e.Source.Line);
    }
}
