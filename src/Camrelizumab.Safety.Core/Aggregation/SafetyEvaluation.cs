using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using Camrelizumab.Safety.Core.AdverseEvents;
using Camrelizumab.Safety.Core.Stopping;
using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Core.Queries;
using Camrelizumab.Safety.Core.Subjects;

namespace Camrelizumab.Safety.Core.Aggregation;

/// <summary>
/// Everything decided from one data snapshot: the per-arm summary and every rule's evaluation, with the inputs that
/// reproduce it (data snapshot hash, rules version and hash, dictionary version and hash, code version, as-of date).
/// </summary>
public sealed record SafetyEvaluation(
    string EvaluationId,
    DateOnly AsOf,
    string DataSnapshotSha256,
    string RulesVersion,
    string RulesSha256,
    string DictionaryVersion,
    string DictionarySha256,
    string CodeVersion,
    SafetySummary Summary,
    IReadOnlyList<RuleEvaluation> Evaluations)
{
    /// <summary>SHA-256 of the coder decisions in force (kept beside the snapshot); set by the caller that stored them.</summary>
    public string? CodingDecisionsSha256 { get; init; }

    /// <summary>How much of the counted data is still provisional (awaiting coding, under a grade query, not in the roster).</summary>
    public DataQuerySummary DataQueries { get; init; } = DataQuerySummary.None;

    /// <summary>
    /// For each rule whose definition names terms, SOCs or AESI categories while events await coding: the evaluation
    /// if every open uncoded event of sufficient grade and attribution qualified. A rule crossed here but not in
    /// <see cref="Evaluations"/> is a possible crossing pending coding.
    /// </summary>
    public IReadOnlyDictionary<string, RuleEvaluation> IfUncodedQualified { get; init; } = new Dictionary<string, RuleEvaluation>();

    /// <summary>Rules not crossed on the coded data that would cross if the events awaiting coding qualified.</summary>
    public IEnumerable<(RuleEvaluation Observed, RuleEvaluation IfUncodedQualified)> PossibleCrossings =>
        Evaluations
            .Where(e => e.Status != RuleStatus.Crossed && IfUncodedQualified.TryGetValue(e.Rule.Id, out var w) && w.Status == RuleStatus.Crossed)
            .Select(e => (e, IfUncodedQualified[e.Rule.Id]));

    /// <summary>The informational version of this build (set by the build; "dev" when built without one).</summary>
    public static string CurrentCodeVersion { get; } =
        typeof(SafetyEvaluation).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "dev";

    /// <summary>
    /// Evaluates all rules on the events themselves: the full recompute, and the reference the incremental path
    /// (<see cref="FromFacts"/>) must equal. The id depends only on the inputs, so re-running on the same data, rules and
    /// date yields the same id and the same stored rows.
    /// </summary>
    public static SafetyEvaluation Compute(SafetyRules rules, IReadOnlyCollection<Subject> subjects, IReadOnlyCollection<AdverseEvent> events, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(subjects);
        ArgumentNullException.ThrowIfNull(events);
        var snapshot = FactsSnapshotHash(subjects, SubjectFacts.FoldAll(rules, AesiConfiguration.LoadDefaults(), events));
        var summary = SafetySummary.Compute(rules.Arms, subjects, events);
        var evaluator = new RuleEvaluator();
        var bySubject = events.ToLookup(e => e.SubjectId, StringComparer.Ordinal);
        var evaluations = rules.Rules.Select(r => evaluator.Evaluate(r, subjects, bySubject, asOf)).ToList();
        var ifUncoded = new Dictionary<string, RuleEvaluation>(StringComparer.Ordinal);
        if (events.Any(e => e.IsUncoded))
        {
            foreach (var rule in rules.Rules.Where(r => r.Event.DependsOnTerm))
            {
                var widened = rule with { Event = rule.Event with { AssumeUncodedQualifies = true } };
                ifUncoded[rule.Id] = evaluator.Evaluate(widened, subjects, bySubject, asOf) with { Rule = rule };
            }
        }

        return Create(rules, asOf, snapshot, summary, evaluations, ifUncoded, DataQueryCount.Of(events, subjects));
    }

    /// <summary>
    /// Evaluates all rules on the subjects' folded facts (<see cref="SubjectFacts"/>), one per subject with counted
    /// events: the timer's incremental path, reading O(subjects). Equal to <see cref="Compute"/> on the events the facts
    /// were folded from, id included.
    /// </summary>
    public static SafetyEvaluation FromFacts(SafetyRules rules, IReadOnlyCollection<Subject> subjects, IReadOnlyCollection<SubjectFacts> facts, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(subjects);
        ArgumentNullException.ThrowIfNull(facts);
        var snapshot = FactsSnapshotHash(subjects, facts);
        var summary = SafetySummary.FromFacts(rules.Arms, subjects, facts);
        var evaluator = new RuleEvaluator();
        var bySubject = facts.GroupBy(f => f.SubjectId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        DateOnly? Earliest(string subject, Func<SubjectFacts, IReadOnlyDictionary<string, DateOnly>> onsets, string ruleId) =>
            bySubject.TryGetValue(subject, out var of)
                ? of.Where(f => onsets(f).ContainsKey(ruleId)).Select(f => (DateOnly?)onsets(f)[ruleId]).Min()
                : null;
        var evaluations = rules.Rules.Select(r => evaluator.Evaluate(r, subjects, s => Earliest(s, f => f.QualifyingOnsets, r.Id), asOf)).ToList();
        var ifUncoded = new Dictionary<string, RuleEvaluation>(StringComparer.Ordinal);
        if (facts.Any(f => f.AwaitingCoding > 0))
        {
            foreach (var rule in rules.Rules.Where(r => r.Event.DependsOnTerm))
            {
                var widened = rule with { Event = rule.Event with { AssumeUncodedQualifies = true } };
                ifUncoded[rule.Id] = evaluator.Evaluate(widened, subjects, s => Earliest(s, f => f.QualifyingOnsetsIfUncodedQualified, rule.Id), asOf) with { Rule = rule };
            }
        }

        return Create(rules, asOf, snapshot, summary, evaluations, ifUncoded, DataQueryCount.OfFacts(facts, subjects));
    }

    private static SafetyEvaluation Create(
        SafetyRules rules, DateOnly asOf, string snapshot, SafetySummary summary, List<RuleEvaluation> evaluations, Dictionary<string, RuleEvaluation> ifUncoded, DataQuerySummary queries)
    {
        var id = string.Create(CultureInfo.InvariantCulture, $"{asOf:yyyyMMdd}-{snapshot[..12]}-{rules.ContentSha256[..Math.Min(8, rules.ContentSha256.Length)]}");
        return new SafetyEvaluation(
            id,
            asOf,
            snapshot,
            rules.Version,
            rules.ContentSha256,
            CtcaeDictionary.Version,
            CtcaeDictionary.V5.ContentSha256,
            CurrentCodeVersion,
            summary,
            evaluations)
        {
            DataQueries = queries,
            IfUncodedQualified = ifUncoded,
        };
    }

    /// <summary>SHA-256 of the canonical facts snapshot (<see cref="DataSnapshot.WriteFacts"/>): what an evaluation's
    /// <see cref="DataSnapshotSha256"/> is, and the name its stored inputs are kept under.</summary>
    public static string FactsSnapshotHash(IEnumerable<Subject> subjects, IEnumerable<SubjectFacts> facts) =>
        Convert.ToHexStringLower(SHA256.HashData(DataSnapshot.WriteFacts(subjects, facts)));

    /// <summary>SHA-256 of the canonical snapshot (<see cref="DataSnapshot.Write"/>) of every subject and event: what
    /// evaluations stored before the facts snapshot were named by.</summary>
    public static string SnapshotHash(IEnumerable<Subject> subjects, IEnumerable<AdverseEvent> events) =>
        Convert.ToHexStringLower(SHA256.HashData(DataSnapshot.Write(subjects, events)));
}
