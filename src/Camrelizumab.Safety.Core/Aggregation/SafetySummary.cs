using Camrelizumab.Safety.Core.AdverseEvents;
using Camrelizumab.Safety.Core.Subjects;

namespace Camrelizumab.Safety.Core.Aggregation;

/// <summary>Per-arm safety overview computed from the stored subjects and events.</summary>
/// <param name="EventsWithoutRosterSubject">Events whose subject is not (yet) in the roster: counted nowhere, reported here.</param>
public sealed record SafetySummary(IReadOnlyList<ArmSafetySummary> Arms, int EventsWithoutRosterSubject)
{
    public static SafetySummary Compute(IReadOnlyList<TrialArm> arms, IReadOnlyCollection<Subject> subjects, IReadOnlyCollection<AdverseEvent> events, AesiConfiguration? aesi = null)
    {
        aesi ??= AesiConfiguration.LoadDefaults();
        ArgumentNullException.ThrowIfNull(arms);
        ArgumentNullException.ThrowIfNull(subjects);
        ArgumentNullException.ThrowIfNull(events);
        var armBySubject = subjects.ToDictionary(s => s.SubjectId, s => s.Arm, StringComparer.Ordinal);
        var eventsByArm = events.Where(e => armBySubject.ContainsKey(e.SubjectId)).ToLookup(e => armBySubject[e.SubjectId]);
        var orphans = events.Count(e => !armBySubject.ContainsKey(e.SubjectId));
        var summaries = arms.Select(arm => Summarize(arm, subjects.Where(s => s.Arm == arm.Code).ToList(), [.. eventsByArm[arm.Code]], aesi)).ToList();
        return new SafetySummary(summaries, orphans);
    }

    /// <summary>The same summary from the subjects' folded facts (<see cref="SubjectFacts"/>) instead of their events.</summary>
    public static SafetySummary FromFacts(IReadOnlyList<TrialArm> arms, IReadOnlyCollection<Subject> subjects, IReadOnlyCollection<SubjectFacts> facts, AesiConfiguration? aesi = null)
    {
        aesi ??= AesiConfiguration.LoadDefaults();
        ArgumentNullException.ThrowIfNull(arms);
        ArgumentNullException.ThrowIfNull(subjects);
        ArgumentNullException.ThrowIfNull(facts);
        var armBySubject = subjects.ToDictionary(s => s.SubjectId, s => s.Arm, StringComparer.Ordinal);
        var factsByArm = facts.Where(f => armBySubject.ContainsKey(f.SubjectId)).ToLookup(f => armBySubject[f.SubjectId]);
        var orphans = facts.Where(f => !armBySubject.ContainsKey(f.SubjectId)).Sum(f => f.Events);
        var summaries = arms.Select(arm => SummarizeFacts(arm, subjects.Where(s => s.Arm == arm.Code).ToList(), [.. factsByArm[arm.Code]], aesi)).ToList();
        return new SafetySummary(summaries, orphans);
    }

    private static ArmSafetySummary SummarizeFacts(TrialArm arm, List<Subject> subjects, List<SubjectFacts> facts, AesiConfiguration aesi) => new()
    {
        Arm = arm.Code,
        ArmLabel = arm.Label,
        Subjects = subjects.Count,
        DosedSubjects = subjects.Count(s => s.FirstDoseDate is not null),
        Events = facts.Sum(f => f.Events),
        SubjectsWithAnyEvent = facts.Count,
        SubjectsByWorstGrade = WorstGradeCounts(facts.Select(f => f.WorstGrade)),
        SubjectsWithSerious = facts.Count(f => f.Serious),
        SubjectsWithTreatmentRelated = facts.Count(f => f.TreatmentRelated),
        SubjectsWithTreatmentRelatedGrade3OrWorse = facts.Count(f => f.TreatmentRelatedGrade3OrWorse),
        SubjectsWithCamrelizumabRelated = facts.Count(f => f.CamrelizumabRelated),
        SubjectsWithRadiotherapyRelated = facts.Count(f => f.RadiotherapyRelated),
        SubjectsWithFatal = facts.Count(f => f.Fatal),
        SubjectsWithDiscontinuation = facts.Count(f => f.Discontinuation),
        SpecialInterest = [.. aesi.Categories.Select(c => new TermCount(
            c.Label,
            c.Group,
            WorstGradeCounts(facts.Where(f => f.SpecialInterest.ContainsKey(c.Id)).Select(f => f.SpecialInterest[c.Id]))))],
        Terms = Ranked(facts.SelectMany(f => f.Terms).GroupBy(t => t.Name, StringComparer.Ordinal)
            .Select(g => new TermCount(g.Key, g.First().Soc, WorstGradeCounts(g.Select(t => t.WorstGrade))))),
        Socs = Ranked(facts.SelectMany(f => f.Socs).GroupBy(s => s.Key, StringComparer.Ordinal)
            .Select(g => new TermCount(g.Key, g.Key, WorstGradeCounts(g.Select(s => s.Value))))),
    };

    private static ArmSafetySummary Summarize(TrialArm arm, List<Subject> subjects, List<AdverseEvent> events, AesiConfiguration aesi)
    {
        var bySubject = events.GroupBy(e => e.SubjectId, StringComparer.Ordinal).ToList();
        int CountSubjects(Func<AdverseEvent, bool> qualifies) => bySubject.Count(g => g.Any(qualifies));

        return new ArmSafetySummary
        {
            Arm = arm.Code,
            ArmLabel = arm.Label,
            Subjects = subjects.Count,
            DosedSubjects = subjects.Count(s => s.FirstDoseDate is not null),
            Events = events.Count,
            SubjectsWithAnyEvent = bySubject.Count,
            SubjectsByWorstGrade = WorstGradeCounts(bySubject.Select(g => g.Max(e => e.Grade.Value))),
            SubjectsWithSerious = CountSubjects(e => e.Serious is true),
            SubjectsWithTreatmentRelated = CountSubjects(e => e.IsTreatmentRelated),
            SubjectsWithTreatmentRelatedGrade3OrWorse = CountSubjects(e => e.IsTreatmentRelated && e.Grade.Value >= 3),
            SubjectsWithCamrelizumabRelated = CountSubjects(e => e.RelatedToCamrelizumab is true),
            SubjectsWithRadiotherapyRelated = CountSubjects(e => e.RelatedToRadiotherapy is true),
            SubjectsWithFatal = CountSubjects(e => e.IsFatal),
            SubjectsWithDiscontinuation = CountSubjects(e => e.LeadsToDiscontinuation),
            SpecialInterest = [.. aesi.Categories.Select(c => new TermCount(
                c.Label,
                c.Group,
                WorstGradeCounts(events.Where(c.Includes).GroupBy(e => e.SubjectId, StringComparer.Ordinal).Select(g => g.Max(e => e.Grade.Value)))))],
            // Events awaiting coding form their own row ("Awaiting coding") in the term and SOC tables.
            Terms = CountBy(events, e => e.TermName, e => e.SocName),
            Socs = CountBy(events, e => e.SocName, e => e.SocName),
        };
    }

    private static List<TermCount> CountBy(List<AdverseEvent> events, Func<AdverseEvent, string> key, Func<AdverseEvent, string> soc) =>
        Ranked(events.GroupBy(key, StringComparer.Ordinal)
            .Select(g => new TermCount(
                g.Key,
                soc(g.First()),
                WorstGradeCounts(g.GroupBy(e => e.SubjectId, StringComparer.Ordinal).Select(s => s.Max(e => e.Grade.Value))))));

    private static List<TermCount> Ranked(IEnumerable<TermCount> counts) =>
        [.. counts
            .OrderByDescending(t => t.Subjects)
            .ThenByDescending(t => t.SubjectsGrade3OrWorse)
            .ThenBy(t => t.Name, StringComparer.Ordinal)];

    private static int[] WorstGradeCounts(IEnumerable<int> worstGrades)
    {
        var counts = new int[5];
        foreach (var grade in worstGrades)
        {
            counts[grade - 1]++;
        }

        return counts;
    }
}
