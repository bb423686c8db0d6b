using Camrelizumab.Safety.Core.Queries;

namespace Camrelizumab.Safety.Core.Ingest;

/// <summary>An open query on an event stored from one row of a dropped file, as the ingest report lists it.</summary>
public sealed record RowQuery(long Line, string SubjectId, string AeId, EventQuery Query)
{
    public string Code => Query.Code;

    public string Column => Query.Column;

    public string? RawValue => Query.RawValue;

    public string Message => Query.Message;

    /// <summary>The event's serious flag, so a serious event awaiting coding is listed first.</summary>
    public bool? Serious { get; init; }
}
