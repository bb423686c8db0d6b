using Camrelizumab.Safety.Core.AdverseEvents;
using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Core.Subjects;

namespace Camrelizumab.Safety.Core.Coding;

/// <summary>One distinct verbatim awaiting coding, with what a coder needs to prioritise and decide it.</summary>
/// <param name="Verbatim">The text as first written (others differing only in case, spacing or punctuation share its key).</param>
/// <param name="ByArm">Events per arm code (subjects not in a roster under "not in roster"); show only to closed roles.</param>
/// <param name="Suggestions">The closest CTCAE terms with their similarity, best first.</param>
public sealed record PendingVerbatim(
    string Verbatim,
    string VerbatimKey,
    int Events,
    int Subjects,
    int WorstGrade,
    int Serious,
    IReadOnlyDictionary<string, int> ByArm,
    IReadOnlyList<(CtcaeTerm Term, double Similarity)> Suggestions)
{
    public const string NotInRoster = "not in roster";

    /// <summary>Groups the uncoded events (coder decisions already applied) by normalized verbatim, most serious and
    /// worst-graded first, so a coder starts where a code changes the most.</summary>
    public static List<PendingVerbatim> From(IEnumerable<AdverseEvent> events, IEnumerable<Subject> subjects, CtcaeCoder coder)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(subjects);
        ArgumentNullException.ThrowIfNull(coder);
        var arms = subjects.ToDictionary(s => s.SubjectId, s => s.Arm, StringComparer.Ordinal);
        return [.. events
            .Where(e => e.IsUncoded)
            .GroupBy(e => CodingDecisions.KeyOf(e.VerbatimTerm ?? ""), StringComparer.Ordinal)
            .Select(g =>
            {
                var verbatim = g.First().VerbatimTerm ?? "";
                return new PendingVerbatim(
                    verbatim,
                    g.Key,
                    g.Count(),
                    g.Select(e => e.SubjectId).Distinct(StringComparer.Ordinal).Count(),
                    g.Max(e => e.Grade.Value),
                    g.Count(e => e.Serious is true),
                    g.GroupBy(e => arms.GetValueOrDefault(e.SubjectId) ?? NotInRoster, StringComparer.Ordinal).ToDictionary(a => a.Key, a => a.Count(), StringComparer.Ordinal),
                    verbatim.Length == 0 ? [] : coder.Code(verbatim).Suggestions);
            })
            .OrderByDescending(p => p.Serious > 0)
            .ThenByDescending(p => p.WorstGrade)
            .ThenByDescending(p => p.Events)
            .ThenBy(p => p.VerbatimKey, StringComparer.Ordinal)];
    }
}
