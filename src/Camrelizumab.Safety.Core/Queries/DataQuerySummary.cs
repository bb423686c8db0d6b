using System.Globalization;

namespace Camrelizumab.Safety.Core.Queries;

/// <summary>
/// How much of the counted data is still provisional: events awaiting coding, events under a grade query, events of
/// subjects no roster names yet. Every report and alert states it, so no reader mistakes a pending count for a final one.
/// </summary>
/// <param name="WorstGradeAwaitingCoding">The worst grade among events awaiting coding; <c>null</c> when there are none.</param>
/// <param name="ByKind">Open queries by code, every kind that occurs.</param>
public sealed record DataQuerySummary(
    int EventsAwaitingCoding,
    int? WorstGradeAwaitingCoding,
    int EventsUnderGradeQuery,
    int? WorstGradeUnderGradeQuery,
    int EventsWithQueries,
    int EventsWithoutRosterSubject,
    IReadOnlyDictionary<string, int> ByKind)
{
    public string AwaitingCodingText => EventsAwaitingCoding == 0
        ? "none"
        : string.Create(CultureInfo.InvariantCulture, $"{EventsAwaitingCoding} (worst grade {WorstGradeAwaitingCoding}); counted in every term-independent count and rule meanwhile");

    public string GradeQueryText => EventsUnderGradeQuery == 0
        ? "none"
        : string.Create(CultureInfo.InvariantCulture, $"{EventsUnderGradeQuery} (worst grade {WorstGradeUnderGradeQuery}); counted at the reported or conservatively imputed grade meanwhile");

    /// <summary>Nothing provisional: no events, or none with a query.</summary>
    public static DataQuerySummary None { get; } = new(0, null, 0, null, 0, 0, new SortedDictionary<string, int>(StringComparer.Ordinal));
}
