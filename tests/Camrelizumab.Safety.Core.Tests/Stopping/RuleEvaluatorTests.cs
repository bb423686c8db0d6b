using Camrelizumab.Safety.Core.AdverseEvents;
using Camrelizumab.Safety.Core.Configuration;
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
        Method = "pocock",
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
        Assert.Equal((2, 2), result.FirstCrossing);
        Assert.Equal((10, 2, 4), (result.Evaluable, result.Events, result.BoundaryAtEvaluable));
        Assert.Equal([1, 2, 2, 2, 2, 2, 2, 2, 2, 2], result.Path);
    }

    [Fact]
    public void Evaluate_DistanceToBoundary_CountsEventsAmongNextPatients()
    {
        // 1 fistula in 9 evaluable: the boundary is 3 at n = 9 and 4 from n = 10, so 3 more events in the next 3
        // patients (4 of 12) would cross.
        var subjects = Enumerable.Range(0, 9).Select(i => Subject($"s{i}", AsOf.AddDays(-300))).ToList();
        var events = new[] { Event("s0", "Esophageal fistula", 1, AsOf.AddDays(-290)) }.ToLookup(e => e.SubjectId);

        var result = new RuleEvaluator().Evaluate(Fistula, subjects, events, AsOf);

        Assert.Equal(RuleStatus.Ok, result.Status);
        Assert.Equal(3, result.EventsToCross);
        Assert.Equal("3 more events among the next 3 evaluable patients would cross.", result.DistanceText);
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
}
