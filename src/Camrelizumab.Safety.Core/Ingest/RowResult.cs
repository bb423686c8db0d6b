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

    /// <summary>One exposure record (EX); the earliest start is the subject's first dose.</summary>
    public sealed record AcceptedExposure(ExposureRecord Record) : RowResult
    {
        public string StudyId => Record.StudyId;

        public string SubjectId => Record.SubjectId;

        public DateOnly Start => Record.Start;
    }

    /// <summary>One disposition record (DS).</summary>
    public sealed record AcceptedDisposition(DispositionRecord Record) : RowResult;

    public sealed record Rejected(RowRejection Rejection) : RowResult;
}
