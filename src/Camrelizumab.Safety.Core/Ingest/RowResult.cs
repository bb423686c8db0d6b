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

    /// <summary>A supplemental qualifier of one AE (SUPPAE), e.g. AETRTEM = N.</summary>
    public sealed record AcceptedQualifier(string StudyId, string SubjectId, string AeId, string Name, string Value) : RowResult;

    /// <summary>One exposure record's start date (EX); the earliest is the subject's first dose.</summary>
    public sealed record AcceptedExposure(string StudyId, string SubjectId, DateOnly Start) : RowResult;

    public sealed record Rejected(RowRejection Rejection) : RowResult;
}
