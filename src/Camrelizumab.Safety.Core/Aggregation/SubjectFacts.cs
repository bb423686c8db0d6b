using System.Security.Cryptography;
using System.Text.Json;
using Camrelizumab.Safety.Core.AdverseEvents;
using Camrelizumab.Safety.Core.Stopping;

namespace Camrelizumab.Safety.Core.Aggregation;

/// <summary>
/// What an evaluation needs to know about one subject's counted events (live, treatment-emergent, coded by the coder
/// decisions in force), folded into one record so that the evaluation reads one row per subject instead of every
/// event. <see cref="Fold"/> is a pure function of the subject's events, so refolding after any change (a new version,
/// a deletion, a coder decision) gives the facts a full recompute would, and folding twice gives the same record.
/// </summary>
/// <remarks>
/// The facts do not depend on the roster: a rule's window starts at the subject's first dose, which the evaluation
/// takes from the roster, so per rule the facts keep the earliest onset among the events that meet every other
/// criterion (<see cref="EventDefinition.IncludesWhateverOnset"/>), and the window is applied when evaluating.
/// </remarks>
public sealed record SubjectFacts
{
    public required string StudyId { get; init; }

    public required string SubjectId { get; init; }

    /// <summary>SHA-256 of the subject's events as written in a data snapshot: any change of any counted event changes it.</summary>
    public required string EventsSha256 { get; init; }

    /// <summary>Counted events.</summary>
    public required int Events { get; init; }

    /// <summary>Worst grade of any counted event (1–5).</summary>
    public required int WorstGrade { get; init; }

    public required bool Serious { get; init; }

    public required bool TreatmentRelated { get; init; }

    public required bool TreatmentRelatedGrade3OrWorse { get; init; }

    public required bool CamrelizumabRelated { get; init; }

    public required bool RadiotherapyRelated { get; init; }

    public required bool Fatal { get; init; }

    public required bool Discontinuation { get; init; }

    /// <summary>Worst grade per AESI category id, for the categories the subject has.</summary>
    public required IReadOnlyDictionary<string, int> SpecialInterest { get; init; }

    /// <summary>Worst grade per term (name, its SOC); events awaiting coding under <see cref="AdverseEvent.UncodedLabel"/>.</summary>
    public required IReadOnlyList<TermWorstGrade> Terms { get; init; }

    /// <summary>Worst grade per SOC.</summary>
    public required IReadOnlyDictionary<string, int> Socs { get; init; }

    /// <summary>Events awaiting coding, and their worst grade (0 when none).</summary>
    public required int AwaitingCoding { get; init; }

    public required int WorstGradeAwaitingCoding { get; init; }

    /// <summary>Events under a grade query, and their worst grade (0 when none).</summary>
    public required int UnderGradeQuery { get; init; }

    public required int WorstGradeUnderGradeQuery { get; init; }

    public required int EventsWithQueries { get; init; }

    /// <summary>Open queries by code.</summary>
    public required IReadOnlyDictionary<string, int> QueriesByKind { get; init; }

    /// <summary>Per rule id: the earliest onset (<see cref="EventDefinition.OnsetKey"/>) among the events meeting the rule's
    /// definition except its window; a rule the subject has no such event for is absent.</summary>
    public required IReadOnlyDictionary<string, DateOnly> QualifyingOnsets { get; init; }

    /// <summary>The same for each rule that names terms, SOCs or AESI categories, reading every event awaiting coding as
    /// qualifying when its grade and attribution do (<see cref="SafetyEvaluation.IfUncodedQualified"/>).</summary>
    public required IReadOnlyDictionary<string, DateOnly> QualifyingOnsetsIfUncodedQualified { get; init; }

    /// <summary>Folds one subject's counted events (all of the same study and subject) into its facts.</summary>
    /// <exception cref="ArgumentException">No events, or events of another subject.</exception>
    public static SubjectFacts Fold(SafetyRules rules, AesiConfiguration aesi, IReadOnlyCollection<AdverseEvent> events)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(aesi);
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            throw new ArgumentException("A subject's facts need at least one counted event.", nameof(events));
        }

        var first = events.First();
        if (events.Any(e => e.StudyId != first.StudyId || e.SubjectId != first.SubjectId))
        {
            throw new ArgumentException($"Events of more than one subject given for {first.StudyId}/{first.SubjectId}.", nameof(events));
        }

        var uncoded = events.Where(e => e.IsUncoded).ToList();
        var graded = events.Where(e => e.Queries.Any(q => q.IsGrading)).ToList();
        var byKind = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var query in events.SelectMany(e => e.Queries))
        {
            byKind[query.Code] = byKind.GetValueOrDefault(query.Code) + 1;
        }

        return new SubjectFacts
        {
            StudyId = first.StudyId,
            SubjectId = first.SubjectId,
            EventsSha256 = Convert.ToHexStringLower(SHA256.HashData(DataSnapshot.Write([], events))),
            Events = events.Count,
            WorstGrade = events.Max(e => e.Grade.Value),
            Serious = events.Any(e => e.Serious is true),
            TreatmentRelated = events.Any(e => e.IsTreatmentRelated),
            TreatmentRelatedGrade3OrWorse = events.Any(e => e.IsTreatmentRelated && e.Grade.Value >= 3),
            CamrelizumabRelated = events.Any(e => e.RelatedToCamrelizumab is true),
            RadiotherapyRelated = events.Any(e => e.RelatedToRadiotherapy is true),
            Fatal = events.Any(e => e.IsFatal),
            Discontinuation = events.Any(e => e.LeadsToDiscontinuation),
            SpecialInterest = WorstBy(aesi.Categories.SelectMany(c => events.Where(c.Includes).Select(e => (c.Id, e.Grade.Value)))),
            Terms = [.. events.GroupBy(e => e.TermName, StringComparer.Ordinal)
                .Select(g => new TermWorstGrade(g.Key, g.First().SocName, g.Max(e => e.Grade.Value)))
                .OrderBy(t => t.Name, StringComparer.Ordinal)],
            Socs = WorstBy(events.Select(e => (e.SocName, e.Grade.Value))),
            AwaitingCoding = uncoded.Count,
            WorstGradeAwaitingCoding = uncoded.Count == 0 ? 0 : uncoded.Max(e => e.Grade.Value),
            UnderGradeQuery = graded.Count,
            WorstGradeUnderGradeQuery = graded.Count == 0 ? 0 : graded.Max(e => e.Grade.Value),
            EventsWithQueries = events.Count(e => e.Queries.Count > 0),
            QueriesByKind = byKind,
            QualifyingOnsets = EarliestOnsets(rules.Rules.Select(r => (r.Id, r.Event)), events),
            QualifyingOnsetsIfUncodedQualified = EarliestOnsets(
                rules.Rules.Where(r => r.Event.DependsOnTerm).Select(r => (r.Id, r.Event with { AssumeUncodedQualifies = true })), events),
        };
    }

    /// <summary>Folds every subject's events: the facts a full rebuild writes, one per subject with counted events.</summary>
    public static List<SubjectFacts> FoldAll(SafetyRules rules, AesiConfiguration aesi, IEnumerable<AdverseEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        return [.. events.GroupBy(e => (e.StudyId, e.SubjectId)).Select(g => Fold(rules, aesi, [.. g]))];
    }

    /// <summary>The canonical JSON of the facts (keys sorted by <see cref="Fold"/>, so equal facts give equal text).</summary>
    public string ToJson() => JsonSerializer.Serialize(this);

    public static SubjectFacts FromJson(string json)
    {
        ArgumentException.ThrowIfNullOrEmpty(json);
        return JsonSerializer.Deserialize<SubjectFacts>(json) ?? throw new InvalidDataException("Stored subject facts are null.");
    }

    private static SortedDictionary<string, DateOnly> EarliestOnsets(IEnumerable<(string Id, EventDefinition Definition)> definitions, IReadOnlyCollection<AdverseEvent> events)
    {
        var onsets = new SortedDictionary<string, DateOnly>(StringComparer.Ordinal);
        foreach (var (id, definition) in definitions)
        {
            foreach (var e in events.Where(definition.IncludesWhateverOnset))
            {
                var onset = EventDefinition.OnsetKey(e);
                if (!onsets.TryGetValue(id, out var earliest) || onset < earliest)
                {
                    onsets[id] = onset;
                }
            }
        }

        return onsets;
    }

    private static SortedDictionary<string, int> WorstBy(IEnumerable<(string Key, int Grade)> grades)
    {
        var worst = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var (key, grade) in grades)
        {
            worst[key] = Math.Max(worst.GetValueOrDefault(key), grade);
        }

        return worst;
    }
}
