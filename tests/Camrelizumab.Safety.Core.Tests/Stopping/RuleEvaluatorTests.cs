using Camrelizumab.Safety.Core.AdverseEvents;
using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Core.Stopping;
using Camrelizumab.Safety.Core.Subjects;

namespace Camrelizumab.Safety.Core.Tests.Stopping;

public sealed class RuleEvaluatorTests
{
    private static readonly DateOnly AsOf = new(2026, 11, 24);

    private static readonly StoppingRule Fistula = new()
    {
        Id = "fistula-camrt",
        Title = "Esophageal fistula",
        Arm = "CAMRT",
        Event = new EventDefinition { Terms = ["Esophageal fistula"], WindowDays = 168 },
        Method = BoundaryMethod.Pocock,
        P0 = 0.08m,
        Alpha = 0.10m,
        MaxPatients = 60,
        Recipients = ["dsmb"],
    };

    private static Subject Subject(string id, DateOnly? firstDose, string arm = "CAMRT") => new("S", id, arm, firstDose, firstDose);

    private static AdverseEvent Event(string subject, string term, int grade, DateOnly onset, bool? relatedCam = true) => new()
    {
        StudyId = "S",
        SubjectId = subject,
        AeId = term,
        Term = CtcaeDictionary.V5.Find(term)!,
        Grade = new CtcaeGrade(grade),
        RelatedToCamrelizumab = relatedCam,
        Onset = PartialDate.From(onset),
        Source = new SourceReference("f", "sha", 2),
    };

    [Fact]
    public void Evaluate_CountsEvaluableAndPending_ByWindowAndEvent()
    {
        Subject[] subjects =
        [
            Subject("closed", AsOf.AddDays(-200)),           // window closed, no event: evaluable
            Subject("event", AsOf.AddDays(-30)),             // window open but had the event: evaluable
            Subject("open", AsOf.AddDays(-30)),              // window open, no event: pending
            Subject("undosed", null),                        // not dosed: neither
            Subject("other-arm", AsOf.AddDays(-200), "CAM"), // another arm: neither
        ];
        var events = new[] { Event("event", "Esophageal fistula", 2, AsOf.AddDays(-10)) }.ToLookup(e => e.SubjectId);

        var result = new RuleEvaluator().Evaluate(Fistula, subjects, events, AsOf);

        Assert.Equal((2, 1, 1), (result.Evaluable, result.Events, result.Pending));
        Assert.Equal(["event"], result.SubjectsWithEvent);
    }

    [Fact]
    public void Evaluate_EventOutsideWindow_DoesNotCount()
    {
        Subject[] subjects = [Subject("late", AsOf.AddDays(-400))];
        var events = new[] { Event("late", "Esophageal fistula", 3, AsOf.AddDays(-400 + 200)) }.ToLookup(e => e.SubjectId);

        var result = new RuleEvaluator().Evaluate(Fistula, subjects, events, AsOf);

        Assert.Equal((1, 0), (result.Evaluable, result.Events));
    }

    [Fact]
    public void Evaluate_EarlyCrossing_IsNotHiddenByLaterNonToxicPatients()
    {
        // Two fistulas among the first two evaluable patients cross (boundary 2/2–3 for p0 = 0.08), even though eight
        // more patients without fistula became evaluable later and 2/10 is below the boundary at n = 10 (4).
        var subjects = new List<Subject> { Subject("a", AsOf.AddDays(-300)), Subject("b", AsOf.AddDays(-300)) };
        subjects.AddRange(Enumerable.Range(0, 8).Select(i => Subject($"n{i}", AsOf.AddDays(-250))));
        var events = new[]
        {
            Event("a", "Esophageal fistula", 2, AsOf.AddDays(-290)),
            Event("b", "Esophageal fistula", 3, AsOf.AddDays(-280)),
        }.ToLookup(e => e.SubjectId);

        var result = new RuleEvaluator().Evaluate(Fistula, subjects, events, AsOf);

        Assert.Equal(RuleStatus.Crossed, result.Status);
        Assert.Equal(new RuleCrossing(2, 2, 2), result.Crossing);
        Assert.Equal((10, 2, 4), (result.Evaluable, result.Events, result.BoundaryAtEnrolled));
        Assert.Equal([1, 2, 2, 2, 2, 2, 2, 2, 2, 2], result.Path);
    }

    [Fact]
    public void Evaluate_DistanceToBoundary_CountsEventsAmongNextPatients()
    {
        // 1 fistula in 9 evaluated, none pending: the boundary is 3 at n = 9 and 4 from n = 10, so 3 more events in the
        // next 3 subjects enrolled (4 of 12) would cross.
        var subjects = Enumerable.Range(0, 9).Select(i => Subject($"s{i}", AsOf.AddDays(-300))).ToList();
        var events = new[] { Event("s0", "Esophageal fistula", 1, AsOf.AddDays(-290)) }.ToLookup(e => e.SubjectId);

        var result = new RuleEvaluator().Evaluate(Fistula, subjects, events, AsOf);

        Assert.Equal(RuleStatus.Ok, result.Status);
        Assert.Equal(new RuleDistance(3, 12, 0, 0, 0, 3), result.Distance);
        Assert.Equal("Not crossed. 3 more events among the next 3 subjects enrolled would cross at look 12.", result.DistanceText);
    }

    [Theory]
    // Attribution (study-treatment rule): missing attribution counts as related; an explicit "not related" does not.
    [InlineData(true, true)]
    [InlineData(null, true)]
    [InlineData(false, false)]
    public void Evaluate_TreatmentRelatedRule_UsesAttribution(bool? relatedCam, bool counts)
    {
        var rule = Fistula with { Id = "g3", Event = new EventDefinition { MinGrade = 3, Attribution = Attribution.StudyTreatment, WindowDays = 84 } };
        Subject[] subjects = [Subject("a", AsOf.AddDays(-100))];
        var events = new[] { Event("a", "Anemia", 3, AsOf.AddDays(-90), relatedCam) }.ToLookup(e => e.SubjectId);

        var result = new RuleEvaluator().Evaluate(rule, subjects, events, AsOf);

        Assert.Equal(counts ? 1 : 0, result.Events);
    }

    private static readonly StoppingRule Death = new()
    {
        Id = "tr-death-camrt",
        Title = "Treatment-related death (grade 5)",
        Arm = "CAMRT",
        Event = new EventDefinition { MinGrade = 5, Attribution = Attribution.StudyTreatment, WindowDays = 84 },
        Method = BoundaryMethod.Pocock,
        P0 = 0.03m,
        Alpha = 0.10m,
        MaxPatients = 60,
        Recipients = ["dsmb"],
    };

    [Theory]
    // Pocock p0 = 0.03, α = 0.10, N = 60: stop at 1/1, 2/2–9 (docs/stopping-rules.md §7). Eight subjects dosed a week
    // apart, all still inside their 84-day window; one treatment-related death in the k-th enrolled.
    // The 8th enrolled: 1 known event among the first 8 is below b_8 = 2, and the seven earlier subjects are pending.
    [InlineData(8, RuleStatus.Ok, null, "Not crossed. 1 more event among the 7 pending subjects enrolled 1st–7th would cross at look 8.")]
    // The 1st enrolled: 1 event among the first 1 reaches b_1 = 1, whatever the others do.
    [InlineData(1, RuleStatus.Crossed, 1, "Crossed at look 1: 1 event among the first 1 enrolled reached its boundary of 1. Stays crossed.")]
    // The 2nd enrolled: b_2 = 2 is not reached, and b_1 = 1 cannot be without the 1st, who is pending.
    [InlineData(2, RuleStatus.Ok, null, "Not crossed. 1 more event among the 7 pending subjects enrolled 1st–8th would cross at look 8.")]
    public void Evaluate_JudgesSubjectsInEnrolmentOrder_NotInTheOrderTheyBecameEvaluable(int deathIn, RuleStatus status, int? crossingLook, string text)
    {
        var subjects = Enumerable.Range(1, 8).Select(i => Subject($"S{i:00}", AsOf.AddDays(-70 + (7 * i)))).ToList();
        var death = Event($"S{deathIn:00}", "Death NOS", 5, AsOf.AddDays(-1));
        var events = new[] { death }.ToLookup(e => e.SubjectId);

        var result = new RuleEvaluator().Evaluate(Death, subjects, events, AsOf);

        Assert.Equal(status, result.Status);
        Assert.Equal(crossingLook, result.Crossing?.Look);
        Assert.Equal((8, 1, 1, 7), (result.Enrolled, result.Evaluable, result.Events, result.Pending));
        Assert.Equal(text, result.DistanceText);
    }

    [Fact]
    public void Evaluate_Crossing_StaysCrossedAsPendingWindowsClose()
    {
        // The death in the 1st enrolled crosses at look 1 today; 200 days later every window has closed without another
        // event, and the crossing is still look 1.
        var subjects = Enumerable.Range(1, 8).Select(i => Subject($"S{i:00}", AsOf.AddDays(-70 + (7 * i)))).ToList();
        var events = new[] { Event("S01", "Death NOS", 5, AsOf.AddDays(-1)) }.ToLookup(e => e.SubjectId);

        var today = new RuleEvaluator().Evaluate(Death, subjects, events, AsOf);
        var later = new RuleEvaluator().Evaluate(Death, subjects, events, AsOf.AddDays(200));

        Assert.Equal(new RuleCrossing(1, 1, 1), today.Crossing);
        Assert.Equal(today.Crossing, later.Crossing);
        Assert.Equal((8, 0), (later.Evaluable, later.Pending));
    }
}
