using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using Camrelizumab.Safety.Core.AdverseEvents;
using Camrelizumab.Safety.Core.Aggregation;
using Camrelizumab.Safety.Core.Configuration;
using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Core.Subjects;

namespace Camrelizumab.Safety.Core.Stopping;

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
    /// <summary>The informational version of this build (set by the build; "dev" when built without one).</summary>
    public static string CurrentCodeVersion { get; } =
        typeof(SafetyEvaluation).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "dev";

    /// <summary>
    /// Evaluates all rules. The id depends only on the inputs, so re-running on the same data, rules and date yields the
    /// same id and the same stored rows.
    /// </summary>
    public static SafetyEvaluation Compute(SafetyRules rules, IReadOnlyCollection<Subject> subjects, IReadOnlyCollection<AdverseEvent> events, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(subjects);
        ArgumentNullException.ThrowIfNull(events);
        var snapshot = SnapshotHash(subjects, events);
        var summary = SafetySummary.Compute(rules.Arms, subjects, events);
        var evaluator = new RuleEvaluator();
        var bySubject = events.ToLookup(e => e.SubjectId, StringComparer.Ordinal);
        var evaluations = rules.Rules.Select(r => evaluator.Evaluate(r, subjects, bySubject, asOf)).ToList();
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
            evaluations);
    }

    /// <summary>SHA-256 of the canonical snapshot (<see cref="DataSnapshot.Write"/>) of every subject and event.</summary>
    public static string SnapshotHash(IEnumerable<Subject> subjects, IEnumerable<AdverseEvent> events) =>
        Convert.ToHexStringLower(SHA256.HashData(DataSnapshot.Write(subjects, events)));
}
