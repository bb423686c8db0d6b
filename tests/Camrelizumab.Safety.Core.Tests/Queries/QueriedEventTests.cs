using Camrelizumab.Safety.Core.AdverseEvents;
using Camrelizumab.Safety.Core.Aggregation;
using Camrelizumab.Safety.Core.Alerts;
using Camrelizumab.Safety.Core.Coding;
using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Core.Queries;
using Camrelizumab.Safety.Core.Stopping;
using Camrelizumab.Safety.Core.Subjects;

namespace Camrelizumab.Safety.Core.Tests.Queries;

/// <summary>How an event with open queries is counted, alerted, coded by a decision and kept in a snapshot.</summary>
public sealed class QueriedEventTests
{
    private static readonly DateOnly AsOf = new(2026, 11, 24);
    private static readonly DateOnly FirstDose = new(2026, 6, 1);
    private static readonly DateTimeOffset Received = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    private static AdverseEvent Event(string subject, string? term, int grade, string? verbatim = null, bool? serious = false, bool? relatedCam = true, int onsetDay = 10) => new()
    {
        StudyId = "CAMREL-RT-EC2",
        SubjectId = subject,
        AeId = "1",
        VerbatimTerm = verbatim ?? term,
        Term = term is null ? null : CtcaeDictionary.V5.Find(term)!,
        CodingMethod = term is null ? CodingMethod.NeedsCoding : CodingMethod.ExactTerm,
        Grade = new CtcaeGrade(grade),
        Serious = serious,
        RelatedToCamrelizumab = relatedCam,
        Onset = PartialDate.From(FirstDose.AddDays(onsetDay)),
        Source = new SourceReference("ae.csv", "sha", 2),
        Queries = term is null ? [new EventQuery(QueryKind.Uncoded, "verbatim", verbatim)] : [],
    };

    private static Subject Subject(string id, string arm = "CAMRT") => new("CAMREL-RT-EC2", id, arm, FirstDose, FirstDose);

    [Theory]
    // Coding never decides whether a death is alerted (issue #11): a related grade 5 alerts whatever its term.
    [InlineData(null, 5, true, "TreatmentRelatedDeath,SusarCandidate")]
    [InlineData("Pneumonitis", 5, true, "TreatmentRelatedDeath")] // expected for camrelizumab: death only
    [InlineData("Guillain-Barre syndrome", 3, true, "SusarCandidate")] // serious, related, unexpected
    // An uncoded serious related event cannot be judged expected: a SUSAR candidate.
    [InlineData(null, 3, true, "SusarCandidate")]
    [InlineData(null, 3, false, "")] // not serious: nothing to expedite
    public void Screen_NamesEveryReasonInOneAlert(string? term, int grade, bool serious, string kinds)
    {
        var alert = ExpeditedAlert.Screen(Event("A", term, grade, "Patient found dead at home", serious), ExpectedAdverseEvents.LoadDefaults(), "CAMREL-RT-EC2", null, Received);

        Assert.Equal(kinds, alert is null ? "" : string.Join(',', alert.Kinds));
        if (alert is not null)
        {
            Assert.Equal("expedited.camrel-rt-ec2.a.1", alert.AlertId);
            Assert.Equal(term is null && kinds.Contains("Susar", StringComparison.Ordinal), alert.ExpectednessUnknown);
        }
    }

    [Theory]
    // (ladder term, decision term, revoked?) → term after Apply, and whether the uncoded query is still open.
    [InlineData(null, "Syncope", false, "Syncope", false)] // a decision codes an uncoded event and closes its query
    [InlineData(null, "Syncope", true, null, true)] // a revoked decision leaves it uncoded
    [InlineData(null, null, false, null, true)] // no decision: still uncoded
    [InlineData("Fatigue", "Syncope", false, "Fatigue", false)] // a decision never overrides the ladder
    public void Apply_CodesOnlyWhatTheLadderLeftUncoded(string? ladder, string? decided, bool revoked, string? expected, bool stillQueried)
    {
        var at = new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero);
        var verbatim = "Collapsed at home";
        List<CodingDecision> versions = [];
        if (decided is not null)
        {
            versions.Add(new CodingDecision(CodingDecisions.KeyOf(verbatim), verbatim, CtcaeDictionary.V5.Find(decided), 1, "Coder", at, "why", null));
            if (revoked)
            {
                versions.Add(new CodingDecision(CodingDecisions.KeyOf(verbatim), verbatim, null, 2, "Coder", at, "wrong term", decided));
            }
        }

        // Case, spacing and punctuation of the verbatim do not matter.
        var coded = new CodingDecisions(versions).Apply(Event("A", ladder, 3, "COLLAPSED  at home."));

        Assert.Equal(expected, coded.Term?.Name);
        Assert.Equal(stillQueried, coded.Queries.Any(q => q.Kind == QueryKind.Uncoded));
        Assert.Equal(expected is not null && ladder is null, coded.CodingDecision is not null);
    }

    [Fact]
    public void Apply_RevokedAfterCoding_PutsTheEventBackAwaitingCoding()
    {
        var verbatim = "Collapsed at home";
        var at = new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero);
        var assigned = new CodingDecisions([new CodingDecision(CodingDecisions.KeyOf(verbatim), verbatim, CtcaeDictionary.V5.Find("Syncope"), 1, "Coder", at, "why", null)]);
        var coded = assigned.Apply(Event("A", null, 3, verbatim));

        var revoked = new CodingDecisions([.. assigned.Current, new CodingDecision(CodingDecisions.KeyOf(verbatim), verbatim, null, 2, "Coder", at, "wrong", "Syncope")]).Apply(coded);

        Assert.True(revoked.IsUncoded);
        Assert.Contains(revoked.Queries, q => q.Kind == QueryKind.Uncoded);
    }

    [Fact]
    public void Compute_UncodedEvents_CountForTermIndependentRules_AndMayMakeATermRuleAPossibleCrossing()
    {
        // Three CAMRT subjects, each with a grade 3 related event nobody has coded; the fistula rule (p0 0.08) names a
        // term, the grade ≥3 TRAE rule does not.
        var rules = SafetyRules.LoadDefaults();
        Subject[] subjects = [Subject("A"), Subject("B"), Subject("C")];
        AdverseEvent[] events = [Event("A", null, 3, "tracheal leak?"), Event("B", null, 3, "leak from oesophagus"), Event("C", null, 3, "hole in gullet")];

        var evaluation = SafetyEvaluation.Compute(rules, subjects, events, AsOf);

        Assert.Equal(3, evaluation.Evaluations.Single(e => e.Rule.Id == "g3-trae-camrt").Events);
        var fistula = evaluation.Evaluations.Single(e => e.Rule.Id == "fistula-camrt");
        Assert.Equal((0, RuleStatus.Ok), (fistula.Events, fistula.Status));
        Assert.Equal(3, evaluation.IfUncodedQualified["fistula-camrt"].Events);
        Assert.Contains(evaluation.PossibleCrossings, p => p.Observed.Rule.Id == "fistula-camrt");
        Assert.Equal((3, 3), (evaluation.DataQueries.EventsAwaitingCoding, evaluation.DataQueries.WorstGradeAwaitingCoding));
        Assert.Equal(3, evaluation.Summary.Arms.Single(a => a.Arm == "CAMRT").Terms.Single(t => t.Name == AdverseEvent.UncodedLabel).Subjects);
    }

    [Fact]
    public void Compute_EventsOfSubjectsNotInTheRoster_AreHeld_AndCountOnceARosterNamesThem()
    {
        var rules = SafetyRules.LoadDefaults();
        AdverseEvent[] events = [Event("A", "Esophageal fistula", 3, relatedCam: true)];

        var before = SafetyEvaluation.Compute(rules, [], events, AsOf);
        var after = SafetyEvaluation.Compute(rules, [Subject("A")], events, AsOf);

        Assert.Equal((1, 0), (before.DataQueries.EventsWithoutRosterSubject, before.Evaluations.Single(e => e.Rule.Id == "fistula-camrt").Events));
        Assert.Equal((0, 1), (after.DataQueries.EventsWithoutRosterSubject, after.Evaluations.Single(e => e.Rule.Id == "fistula-camrt").Events));
    }

    [Fact]
    public void Snapshot_KeepsUncodedDecisionAndQueries_AndLeavesOtherEventsBytesAsBefore()
    {
        var plain = Event("A", "Fatigue", 1);
        var decision = new CodingDecision(CodingDecisions.KeyOf("collapse"), "collapse", CtcaeDictionary.V5.Find("Syncope"), 2, "Coder", Received, "why", null);
        var coded = new CodingDecisions([decision]).Apply(Event("B", null, 3, "collapse") with { Queries = [new EventQuery(QueryKind.Uncoded, "verbatim", "collapse"), new EventQuery(QueryKind.UnreadableOnset, "onset", "2026-13-45")] });
        var uncoded = Event("C", null, 2, "feeling off");

        var bytes = DataSnapshot.Write([Subject("A")], [plain, coded, uncoded]);
        var (_, read) = DataSnapshot.Read(bytes, CtcaeDictionary.V5);

        // An event with no decision and no query is written exactly as before these fields existed.
        Assert.DoesNotContain("\"decision\"", System.Text.Encoding.UTF8.GetString(DataSnapshot.Write([], [plain])), StringComparison.Ordinal);
        var b = read.Single(e => e.SubjectId == "B");
        Assert.Equal(("Syncope", "collapse@2", CodingMethod.CoderDecision), (b.Term!.Name, b.CodingDecision, b.CodingMethod));
        Assert.Equal(["unreadable-onset"], b.Queries.Select(q => q.Code));
        Assert.True(read.Single(e => e.SubjectId == "C").IsUncoded);
        Assert.Equal(bytes, DataSnapshot.Write([Subject("A")], read));
    }
}
