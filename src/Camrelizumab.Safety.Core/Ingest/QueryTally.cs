using Camrelizumab.Safety.Core.AdverseEvents;

namespace Camrelizumab.Safety.Core.Ingest;

/// <summary>Folds the queries of the events one file stored into what its ingest report lists and counts.</summary>
public sealed class QueryTally
{
    private readonly List<RowQuery> _listed = [];
    private readonly SortedDictionary<string, int> _byKind = new(StringComparer.Ordinal);

    /// <summary>The queries listed in the report, sorted by line (at most <see cref="IngestReport.MaxListedRejections"/>).</summary>
    public IReadOnlyList<RowQuery> Listed => [.. _listed.OrderBy(q => q.Line)];

    public IReadOnlyDictionary<string, int> ByKind => _byKind;

    public long EventsWithQueries { get; private set; }

    public long SeriousAwaitingCoding { get; private set; }

    /// <summary>Counts one stored event, as the coder decisions in force code it.</summary>
    public void Add(AdverseEvent adverseEvent)
    {
        ArgumentNullException.ThrowIfNull(adverseEvent);
        if (adverseEvent.Queries.Count == 0)
        {
            return;
        }

        EventsWithQueries++;
        if (adverseEvent.IsUncoded && adverseEvent.Serious is true)
        {
            SeriousAwaitingCoding++;
        }

        foreach (var query in adverseEvent.Queries)
        {
            _byKind[query.Code] = _byKind.GetValueOrDefault(query.Code) + 1;
            if (_listed.Count < IngestReport.MaxListedRejections)
            {
                _listed.Add(new RowQuery(adverseEvent.Source.Line, adverseEvent.SubjectId, adverseEvent.AeId, query) { Serious = adverseEvent.Serious });
            }
        }
    }
}
