using Camrelizumab.Safety.Core.AdverseEvents;
using Camrelizumab.Safety.Core.Coding;
using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Core.Ingest;
using Camrelizumab.Safety.Core.Intake;
using Camrelizumab.Safety.Core.Queries;
using Camrelizumab.Safety.Core.Subjects;

namespace Camrelizumab.Safety.Core.Tests.Intake;

/// <summary>What one file's rows amount to, folded row by row: the decision the ingest step applies.</summary>
public sealed class FileContentsTests
{
    private const string Study = "CAMREL-RT-EC2";
    private static readonly DateTimeOffset Received = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    /// <summary>A coder decision in force for the verbatim "Fainting spell": Syncope.</summary>
    private static readonly CodingDecisions Decisions = new([
        new CodingDecision(CodingDecisions.KeyOf("Fainting spell"), "Fainting spell", CtcaeDictionary.V5.Find("Syncope"), 1, "coder", Received, "reviewed", null),
    ]);

    private static RowResult.AcceptedEvent Ae(string subject, string aeId, string? term, int grade, bool serious = false, bool related = false, string? verbatim = null) =>
        new RowResult.AcceptedEvent(new AdverseEvent
        {
            StudyId = Study,
            SubjectId = subject,
            AeId = aeId,
            VerbatimTerm = verbatim ?? term,
            Term = term is null ? null : CtcaeDictionary.V5.Find(term)!,
            CodingMethod = term is null ? CodingMethod.NeedsCoding : CodingMethod.ExactTerm,
            Grade = new CtcaeGrade(grade),
            Serious = serious,
            RelatedToCamrelizumab = related,
            Source = new SourceReference("ae.csv", "sha", 2),
            Queries = term is null ? [new EventQuery(QueryKind.Uncoded, "verbatim", verbatim)] : [],
        });

    private static RowResult.Rejected Refused(long line) => new RowResult.Rejected(new RowRejection("ae.csv", line, "USUBJID", null, RejectionReason.MissingValue));

    private static RowResult.AcceptedExposure Dose(string subject, int day) =>
        new RowResult.AcceptedExposure(new ExposureRecord(Study, subject, "CAMRELIZUMAB", new DateOnly(2026, 1, day)));

    private static RowResult.AcceptedSubject Roster(string subject) => new RowResult.AcceptedSubject(new Subject(Study, subject, "CAM", null, null));

    private static RowResult.AcceptedQualifier NotEmergent(string subject) => new RowResult.AcceptedQualifier(Study, subject, "1", "AETRTEM", "N");

    private static RowResult.AcceptedDisposition Died(string subject) =>
        new RowResult.AcceptedDisposition(new DispositionRecord(Study, subject, "DEATH", DispositionScope.Study, "DISPOSITION EVENT", new DateOnly(2026, 3, 1)));

    /// <summary>name, rows → events kept, refusals returned, events with queries, expedited alerts, first doses ("subject=day"), other records (subjects/qualifiers/exposures/dispositions).</summary>
    public static TheoryData<string, RowResult[], int, int, int, string, string, string> Files() => new()
    {
        // A plain AE file: every event kept in order, nothing else.
        { "events", [Ae("A", "1", "Fatigue", 1), Ae("A", "2", "Anemia", 2), Ae("B", "1", "Nausea", 1)], 3, 0, 0, "", "", "0/0/0/0" },
        // A refused row is returned for the rejections CSV and kept nowhere else.
        { "refusals", [Ae("A", "1", "Fatigue", 1), Refused(3), Refused(4)], 1, 2, 0, "", "", "0/0/0/0" },
        // An uncoded verbatim the decisions in force code has no open query; one they do not code has.
        { "decisions code the screen", [Ae("A", "1", null, 2, verbatim: "Fainting spell"), Ae("A", "2", null, 2, verbatim: "Zqx unexplained")], 2, 0, 1, "", "", "0/0/0/0" },
        // A treatment-related death and a serious related unexpected event each raise one expedited alert.
        { "expedited", [Ae("A", "1", "Pneumonitis", 5, serious: true, related: true), Ae("B", "1", "Guillain-Barre syndrome", 3, serious: true, related: true), Ae("C", "1", "Fatigue", 3, serious: true)], 3, 0, 0, "A:TreatmentRelatedDeath,B:SusarCandidate", "", "0/0/0/0" },
        // The first dose is each subject's earliest exposure, in any row order.
        { "exposure", [Dose("A", 20), Dose("A", 5), Dose("A", 12), Dose("B", 7)], 0, 0, 0, "", "A=5,B=7", "0/0/4/0" },
        // Roster, SUPPAE and DS records are kept for after the whole file is read.
        { "other records", [Roster("A"), Roster("B"), NotEmergent("A"), Died("B")], 0, 0, 0, "", "", "2/1/0/1" },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void Add_FoldsEachRowIntoWhatTheFileAmountsTo(string name, RowResult[] rows, int kept, int refused, int withQueries, string expedited, string firstDoses, string records)
    {
        // Arrange
        var events = new List<AdverseEvent>();
        var contents = new FileContents(Decisions, ExpectedAdverseEvents.LoadDefaults(), Study, Received, events.Add);

        // Act
        var refusals = rows.Select(contents.Add).OfType<RowRejection>().ToList();

        // Assert
        Assert.True(kept == events.Count, $"{name}: {events.Count} events kept");
        Assert.Equal(rows.OfType<RowResult.AcceptedEvent>().Select(e => e.Event), events);
        Assert.Equal(refused, refusals.Count);
        Assert.Equal(rows.Length - refused, contents.Tally.Accepted);
        Assert.Equal(withQueries, contents.Queries.EventsWithQueries);
        Assert.Equal(expedited, string.Join(',', contents.Expedited.Select(a => $"{a.Event.SubjectId}:{string.Join('+', a.Kinds)}")));
        Assert.Equal(firstDoses, string.Join(',', contents.FirstExposure.OrderBy(f => f.Key.SubjectId, StringComparer.Ordinal).Select(f => $"{f.Key.SubjectId}={f.Value.Day}")));
        Assert.Equal(records, $"{contents.Subjects.Count}/{contents.Qualifiers.Count}/{contents.Exposures.Count}/{contents.Dispositions.Count}");
        Assert.All(contents.Expedited, a => Assert.Equal(Received, a.ReceivedAt));
    }
}
