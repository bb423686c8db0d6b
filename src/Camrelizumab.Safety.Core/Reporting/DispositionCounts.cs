using Camrelizumab.Safety.Core.Subjects;

namespace Camrelizumab.Safety.Core.Reporting;

/// <summary>One row of a disposition table: a reason (DSDECOD) and how many subjects of each group it holds.</summary>
internal sealed record DispositionRow(string Term, IReadOnlyList<int> Counts);

/// <summary>
/// Subjects by their disposition from study treatment or from the study: each subject once, by the latest disposition
/// event of that scope that ends it; subjects with none are "ongoing (no disposition recorded)".
/// </summary>
internal static class DispositionCounts
{
    public const string Ongoing = "Ongoing (no disposition recorded)";

    /// <summary>The rows for one scope, reasons by descending total, with the ongoing row last.</summary>
    /// <param name="groups">The subjects of each column (an arm, or everyone pooled).</param>
    public static IReadOnlyList<DispositionRow> Tabulate(IReadOnlyList<IReadOnlyCollection<Subject>> groups, IEnumerable<DispositionRecord> records, DispositionScope scope)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(records);
        var ended = records
            .Where(r => r.Scope == scope && r.IsDispositionEvent && r.IsEnd)
            .GroupBy(r => r.SubjectId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(r => r.Date ?? DateOnly.MinValue).ThenBy(r => r.Term, StringComparer.Ordinal).Last().Term, StringComparer.Ordinal);
        var terms = groups.SelectMany(g => g).Select(s => ended.GetValueOrDefault(s.SubjectId)).OfType<string>()
            .GroupBy(t => t, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).ToList();
        var rows = terms.Select(t => new DispositionRow(t, [.. groups.Select(g => g.Count(s => ended.GetValueOrDefault(s.SubjectId) == t))])).ToList();
        rows.Add(new DispositionRow(Ongoing, [.. groups.Select(g => g.Count(s => !ended.ContainsKey(s.SubjectId)))]));
        return rows;
    }
}
