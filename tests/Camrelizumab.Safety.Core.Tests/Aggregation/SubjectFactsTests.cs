using Camrelizumab.Safety.Core.AdverseEvents;
using Camrelizumab.Safety.Core.Aggregation;
using Camrelizumab.Safety.Core.Coding;
using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Core.Queries;
using Camrelizumab.Safety.Core.Stopping;
using Camrelizumab.Safety.Core.Subjects;

namespace Camrelizumab.Safety.Core.Tests.Aggregation;

public sealed class SubjectFactsTests
{
    private static readonly SafetyRules Rules = SafetyRules.LoadDefaults();
    private static readonly AesiConfiguration Aesi = AesiConfiguration.LoadDefaults();
    private static readonly DateOnly FirstDose = new(2026, 1, 10);

    private static readonly string[] CodedTerms =
        ["Esophageal fistula", "Tracheal fistula", "Pneumonitis", "Anemia", "Alopecia", "Esophagitis", "Fatigue", "Hypothyroidism", "Pruritus", "Colitis"];

    private static AdverseEvent Event(string subject, string aeId, string? term, int grade, bool? cam, bool? rt, string? onset, bool? serious = false, string? outcome = null, string? verbatim = null) => new()
    {
        StudyId = "S",
        SubjectId = subject,
        AeId = aeId,
        VerbatimTerm = verbatim ?? term ?? "something unclear",
        Term = term is null ? null : CtcaeDictionary.V5.Find(term)!,
        CodingMethod = term is null ? CodingMethod.NeedsCoding : CodingMethod.ExactTerm,
        Queries = term is null ? [new EventQuery(QueryKind.Uncoded, "AETERM", verbatim ?? "something unclear")] : [],
        Grade = new CtcaeGrade(grade),
        Serious = serious,
        RelatedToCamrelizumab = cam,
        RelatedToRadiotherapy = rt,
        Onset = onset is null ? null : PartialDate.TryParse(onset, out var d) ? d : throw new ArgumentException(onset),
        Outcome = outcome,
        Source = new SourceReference("f.csv", "sha", 2),
    };

    public static TheoryData<string, string?, int, bool?, bool?, string?, string?> QualifyingOnsetRows => new()
    {
        // Protocol fistula rule (terms, grade ≥ 1, any attribution): a grade 2 esophageal fistula qualifies at its onset.
        { "fistula-camrt", "Esophageal fistula", 2, false, false, "2026-02-10", "2026-02-10" },
        // CTCAE grade 3 treatment-related AE rule: grade 2 is below the rule's minimum grade.
        { "g3-trae-camrt", "Esophageal fistula", 2, true, null, "2026-02-10", null },
        // Treatment-related with no attribution reported at all counts as related (conservative safety convention).
        { "g3-trae-camrt", "Anemia", 3, null, null, "2026-02-10", "2026-02-10" },
        // Both attributions "no": not treatment-related.
        { "g3-trae-camrt", "Anemia", 3, false, false, "2026-02-10", null },
        // An event awaiting coding counts in the term-independent grade 3 rule ...
        { "g3-trae-camrt", null, 3, true, null, "2026-03-01", "2026-03-01" },
        // ... and never in a rule that names terms on the coded data.
        { "fistula-camrt", null, 3, true, null, "2026-03-01", null },
        // An onset known to the month only is judged by its earliest possible day.
        { "fistula-camrt", "Tracheal fistula", 1, null, null, "2026-04", "2026-04-01" },
        // An event without onset is taken to have happened at first dose: always in the window.
        { "fistula-camrt", "Tracheal fistula", 1, null, null, null, "0001-01-01" },
        // Grade 5 related to camrelizumab: the treatment-related death rule.
        { "tr-death-camrt", "Colitis", 5, true, false, "2026-05-05", "2026-05-05" },
    };

    [Theory]
    [MemberData(nameof(QualifyingOnsetRows))]
    public void Fold_KeepsTheEarliestQualifyingOnset_PerRule(string ruleId, string? term, int grade, bool? cam, bool? rt, string? onset, string? expected)
    {
        var facts = SubjectFacts.Fold(Rules, Aesi, [Event("A", "1", term, grade, cam, rt, onset)]);

        DateOnly? want = expected is null ? null : DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture);
        DateOnly? got = facts.QualifyingOnsets.TryGetValue(ruleId, out var d) ? d : null;
        Assert.Equal(want, got);
    }

    public static TheoryData<string?, int, bool?, bool> IfUncodedRows => new()
    {
        // Awaiting coding, grade 1: a fistula rule (grade ≥ 1, any attribution) would count it if it were a fistula.
        { null, 1, null, true },
        // Coded as another term: the widened reading changes nothing for it.
        { "Anemia", 3, true, false },
        // Coded as a fistula: counts in both readings.
        { "Esophageal fistula", 1, false, true },
    };

    [Theory]
    [MemberData(nameof(IfUncodedRows))]
    public void Fold_IfUncodedQualified_CountsEventsAwaitingCodingForTermRules(string? term, int grade, bool? cam, bool expected)
    {
        var facts = SubjectFacts.Fold(Rules, Aesi, [Event("A", "1", term, grade, cam, null, "2026-02-01")]);

        Assert.Equal(expected, facts.QualifyingOnsetsIfUncodedQualified.ContainsKey("fistula-camrt"));
        Assert.DoesNotContain("g3-trae-camrt", facts.QualifyingOnsetsIfUncodedQualified.Keys); // term-independent: no widened reading
    }

    [Fact]
    public void Fold_SeveralEvents_WorstGradesPerTermAndSocAndTheEarliestOnset()
    {
        var facts = SubjectFacts.Fold(Rules, Aesi,
        [
            Event("A", "1", "Esophageal fistula", 2, true, true, "2026-03-01"),
            Event("A", "2", "Esophageal fistula", 3, true, true, "2026-02-01", serious: true),
            Event("A", "3", "Anemia", 1, false, false, null),
            Event("A", "4", null, 4, null, null, "2026-02-15"),
        ]);

        Assert.Equal((4, 4, 1, 4), (facts.Events, facts.WorstGrade, facts.AwaitingCoding, facts.WorstGradeAwaitingCoding));
        Assert.Equal(new DateOnly(2026, 2, 1), facts.QualifyingOnsets["fistula-camrt"]);
        Assert.Equal(
            [new TermWorstGrade("Anemia", "Blood and lymphatic system disorders", 1), new TermWorstGrade(AdverseEvent.UncodedLabel, AdverseEvent.UncodedLabel, 4), new TermWorstGrade("Esophageal fistula", "Gastrointestinal disorders", 3)],
            facts.Terms);
        Assert.Equal(3, facts.Socs["Gastrointestinal disorders"]);
        Assert.True(facts.Serious);
        Assert.Equal(1, facts.QueriesByKind["uncoded"]);
    }

    [Fact]
    public void Fold_EventOrderAndJsonRoundTrip_GiveTheSameFacts()
    {
        var events = RandomHistory(new Random(7), 30, 200).Where(e => e.SubjectId == "S0003").ToList();
        Assert.NotEmpty(events);

        var forward = SubjectFacts.Fold(Rules, Aesi, events);
        var reversed = SubjectFacts.Fold(Rules, Aesi, [.. Enumerable.Reverse(events)]);

        Assert.Equal(forward.ToJson(), reversed.ToJson());
        Assert.Equal(forward.ToJson(), SubjectFacts.FromJson(forward.ToJson()).ToJson());
    }

    [Theory]
    [InlineData(1, 60, 600, "2026-06-01")]
    [InlineData(2, 200, 3_000, "2026-09-30")]
    [InlineData(3, 400, 10_000, "2027-03-01")]
    public void FromFacts_EqualsComputeFromTheEvents(int seed, int subjects, int events, string asOf)
    {
        var random = new Random(seed);
        var roster = Roster(random, subjects);
        var history = RandomHistory(random, subjects + 5, events); // a few subjects the roster does not name
        var date = DateOnly.Parse(asOf, System.Globalization.CultureInfo.InvariantCulture);

        var full = SafetyEvaluation.Compute(Rules, roster, history, date);
        var incremental = SafetyEvaluation.FromFacts(Rules, roster, SubjectFacts.FoldAll(Rules, Aesi, history), date);

        Assert.Equal(EvaluationText.Describe(full), EvaluationText.Describe(incremental));
        Assert.Contains(full.Evaluations, e => e.Events > 0);
        Assert.NotEmpty(full.IfUncodedQualified);
    }

    private static List<Subject> Roster(Random random, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new Subject(
            "S",
            $"S{i:D4}",
            random.Next(2) == 0 ? "CAM" : "CAMRT",
            new DateOnly(2026, 1, 1).AddDays(i),
            random.Next(10) == 0 ? null : new DateOnly(2026, 1, 5).AddDays(i + random.Next(3))))];

    /// <summary>Random events over the protocol's terms, grades, attributions, onsets (full, month-only, missing) and
    /// events awaiting coding, with some grade queries.</summary>
    public static List<AdverseEvent> RandomHistory(Random random, int subjects, int count)
    {
        var events = new List<AdverseEvent>(count);
        for (var i = 0; i < count; i++)
        {
            var subject = $"S{random.Next(subjects):D4}";
            var term = random.Next(8) == 0 ? null : CodedTerms[random.Next(CodedTerms.Length)];
            bool? Flag() => random.Next(3) switch { 0 => null, 1 => true, _ => false };
            var onset = new DateOnly(2026, 1, 1).AddDays(random.Next(450));
            var e = Event(
                subject,
                $"{i}",
                term,
                random.Next(1, 6),
                Flag(),
                Flag(),
                random.Next(10) switch { 0 => null, 1 => $"{onset:yyyy-MM}", _ => $"{onset:yyyy-MM-dd}" },
                Flag(),
                random.Next(20) == 0 ? "FATAL" : null,
                term is null ? $"unclear {random.Next(5)}" : null);
            events.Add(random.Next(15) == 0 ? e with { Queries = [.. e.Queries, new EventQuery(QueryKind.MissingGrade, "AETOXGR", null)] } : e);
        }

        return events;
    }
}
