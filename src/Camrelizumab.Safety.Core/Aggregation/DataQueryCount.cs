using Camrelizumab.Safety.Core.AdverseEvents;
using Camrelizumab.Safety.Core.Queries;
using Camrelizumab.Safety.Core.Subjects;

namespace Camrelizumab.Safety.Core.Aggregation;

/// <summary>Counts what is still provisional in the counted data (<see cref="DataQuerySummary"/>), from events or from folded facts.</summary>
public static class DataQueryCount
{
    /// <summary>Summarizes the queries of the events as counted (coder decisions applied) against the roster.</summary>
    public static DataQuerySummary Of(IReadOnlyCollection<AdverseEvent> events, IReadOnlyCollection<Subject> subjects)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(subjects);
        var rostered = subjects.Select(s => s.SubjectId).ToHashSet(StringComparer.Ordinal);
        var uncoded = events.Where(e => e.IsUncoded).ToList();
        var graded = events.Where(e => e.Queries.Any(q => q.IsGrading)).ToList();
        var byKind = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var query in events.SelectMany(e => e.Queries))
        {
            byKind[query.Code] = byKind.GetValueOrDefault(query.Code) + 1;
        }

        return new DataQuerySummary(
            uncoded.Count,
            uncoded.Count == 0 ? null : uncoded.Max(e => e.Grade.Value),
            graded.Count,
            graded.Count == 0 ? null : graded.Max(e => e.Grade.Value),
            events.Count(e => e.Queries.Count > 0),
            events.Count(e => !rostered.Contains(e.SubjectId)),
            byKind);
    }

    /// <summary>The same summary from the subjects' folded facts (<see cref="SubjectFacts"/>).</summary>
    public static DataQuerySummary OfFacts(IReadOnlyCollection<SubjectFacts> facts, IReadOnlyCollection<Subject> subjects)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(subjects);
        var rostered = subjects.Select(s => s.SubjectId).ToHashSet(StringComparer.Ordinal);
        var byKind = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var (code, count) in facts.SelectMany(f => f.QueriesByKind))
        {
            byKind[code] = byKind.GetValueOrDefault(code) + count;
        }

        var uncoded = facts.Sum(f => f.AwaitingCoding);
        var graded = facts.Sum(f => f.UnderGradeQuery);
        return new DataQuerySummary(
            uncoded,
            uncoded == 0 ? null : facts.Max(f => f.WorstGradeAwaitingCoding),
            graded,
            graded == 0 ? null : facts.Max(f => f.WorstGradeUnderGradeQuery),
            facts.Sum(f => f.EventsWithQueries),
            facts.Where(f => !rostered.Contains(f.SubjectId)).Sum(f => f.Events),
            byKind);
    }
}
