using Camrelizumab.Safety.Core.AdverseEvents;
using Camrelizumab.Safety.Core.Subjects;

namespace Camrelizumab.Safety.Core.Ingest;

/// <summary>What one row of an export became. Bad rows are values, not exceptions.</summary>
public abstract record RowResult
{
    private RowResult()
    {
    }

    public sealed record AcceptedEvent(AdverseEvent Event) : RowResult;

    public sealed record AcceptedSubject(Subject Subject) : RowResult;

    public sealed record Rejected(RowRejection Rejection) : RowResult;
}
