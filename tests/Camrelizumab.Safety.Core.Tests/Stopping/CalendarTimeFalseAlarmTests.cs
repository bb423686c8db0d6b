using Camrelizumab.Safety.Core.AdverseEvents;
using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Core.Stopping;
using Camrelizumab.Safety.Core.Subjects;

namespace Camrelizumab.Safety.Core.Tests.Stopping;

/// <summary>
/// The false-alarm rate of the trial's default rules when they are watched in calendar time: 60 subjects per arm
/// enrolled uniformly over 730 days, each event at a time uniform within the rule's window (issue #14).
/// </summary>
/// <remarks>
/// 4,000 trials per rule and order keep the Monte Carlo standard error below 0.005 at α = 0.10
/// (√(0.1 × 0.9 / 4000) = 0.0047) while the whole class runs in a few seconds.
/// </remarks>
public sealed class CalendarTimeFalseAlarmTests
{
    private const int Trials = 4000;
    private const int Seed = 20261129;
    private const double AccrualDays = 730;

    public static TheoryData<string> DefaultRules => [.. SafetyRules.LoadDefaults().Rules.Select(r => r.Id)];

    private static StoppingRule Rule(string id) => SafetyRules.LoadDefaults().Rules.Single(r => r.Id == id);

    [Theory]
    [MemberData(nameof(DefaultRules))]
    public void Simulate_EnrolmentOrder_KeepsTheStatedAlphaInCalendarTime(string ruleId)
    {
        var rule = Rule(ruleId);
        var boundary = new RuleEvaluator().BoundaryFor(rule);

        var result = CalendarTimeSimulation.Simulate(boundary, (double)rule.P0, AccrualDays, rule.Event.WindowDays, EvaluationOrder.Enrolment, Trials, Seed);

        TestContext.Current.TestOutputHelper?.WriteLine($"{ruleId}: stated α {rule.Alpha}, achieved {boundary.AchievedAlpha:0.0000}; {result}");
        Assert.True(result.StandardError < 0.005, $"standard error {result.StandardError}");
        Assert.True(result.CrossingProbability <= (double)rule.Alpha + (3 * result.StandardError), result.ToString());
    }

    [Theory]
    // The order in which subjects became evaluable lets an early event jump ahead of earlier-enrolled subjects still in
    // their window. For these rules the inflation is far beyond Monte Carlo error (the issue measured 0.18 for the
    // p0 = 0.03 rule with an 84-day window); the test fails if the simulation cannot tell the orders apart.
    [MemberData(nameof(DefaultRules))]
    public void Simulate_OrderOfBecomingEvaluable_ExceedsTheStatedAlpha(string ruleId)
    {
        var rule = Rule(ruleId);
        var boundary = new RuleEvaluator().BoundaryFor(rule);

        var result = CalendarTimeSimulation.Simulate(boundary, (double)rule.P0, AccrualDays, rule.Event.WindowDays, EvaluationOrder.BecameEvaluable, Trials, Seed);

        TestContext.Current.TestOutputHelper?.WriteLine($"{ruleId}: stated α {rule.Alpha}; {result}");
        Assert.True(result.CrossingProbability > (double)rule.Alpha + (3 * result.StandardError), result.ToString());
    }

    [Fact]
    public void RuleEvaluator_DeclaresTheSimulatedCrossingOnItsDayAndNotBefore()
    {
        // At a true rate of 0.08 most trials cross. The evaluator itself, fed each simulated trial as stored data (events known only from their onset day), must
        // declare a crossing exactly on the day the simulation says, and never in a trial that does not cross.
        var rule = Rule("tr-death-camrt");
        var evaluator = new RuleEvaluator();
        var boundary = evaluator.BoundaryFor(rule);
        var random = new Random(Seed);
        var start = new DateOnly(2026, 1, 1);
        var crossings = 0;
        for (var t = 0; t < 300; t++)
        {
            // Whole days, so that the simulation and the stored dates agree exactly.
            var trial = CalendarTimeSimulation.Trial(random, rule.MaxPatients, 0.08, AccrualDays, rule.Event.WindowDays)
                .Select(s => new SimulatedSubject(Math.Floor(s.Enrolled), s.Onset is { } o ? Math.Floor(s.Enrolled) + Math.Floor(o - s.Enrolled) : null))
                .ToArray();
            var subjects = trial.Select((s, i) => new Subject("S", $"P{i:000}", rule.Arm, null, start.AddDays((int)s.Enrolled))).ToList();
            var events = trial.Select((s, i) => (s, i)).Where(x => x.s.Onset is not null).Select(x => Death($"P{x.i:000}", start.AddDays((int)x.s.Onset!.Value))).ToList();
            RuleEvaluation On(DateOnly day) => evaluator.Evaluate(rule, subjects, events.Where(e => e.Onset!.Value.Earliest <= day).ToLookup(e => e.SubjectId), day);

            var expected = CalendarTimeSimulation.CrossingTime(boundary, trial, rule.Event.WindowDays, EvaluationOrder.Enrolment);

            var end = start.AddDays((int)AccrualDays + rule.Event.WindowDays + 1);
            if (expected is not { } day)
            {
                Assert.Equal(RuleStatus.Ok, On(end).Status);
                continue;
            }

            crossings++;
            var crossingDay = start.AddDays((int)day);
            Assert.Equal(RuleStatus.Crossed, On(crossingDay).Status);
            Assert.Equal(RuleStatus.Ok, On(crossingDay.AddDays(-1)).Status);
            Assert.Equal(RuleStatus.Crossed, On(end).Status);
        }

        Assert.InRange(crossings, 60, 270);
    }

    private static AdverseEvent Death(string subject, DateOnly onset) => new()
    {
        StudyId = "S",
        SubjectId = subject,
        AeId = "1",
        Term = CtcaeDictionary.V5.Find("Death NOS")!,
        Grade = new CtcaeGrade(5),
        RelatedToCamrelizumab = true,
        Onset = PartialDate.From(onset),
        Source = new SourceReference("f", "sha", 2),
    };
}
