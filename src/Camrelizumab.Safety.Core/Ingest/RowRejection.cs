namespace Camrelizumab.Safety.Core.Ingest;

/// <summary>A row that was read but not accepted: which file, which line, which column, what it said and why.</summary>
/// <param name="Line">The physical line (1-based, header = line 1 in a text file) where the row starts.</param>
public sealed record RowRejection(string FileName, long Line, string Column, string? RawValue, RejectionReason Reason, string? Detail = null)
{
    /// <summary>The row's subject, when the row has a readable one (an identifier, not free text).</summary>
    public string? SubjectId { get; init; }

    /// <summary>The row's AE id (AESEQ), when it has a readable one.</summary>
    public string? AeId { get; init; }

    /// <summary>Whether the row says the event is serious; <c>null</c> when it does not say or is not an AE row.</summary>
    public bool? Serious { get; init; }

    public string ReasonCode => RejectionMessages.Code(Reason);

    public string Message => RejectionMessages.Describe(Reason, Detail);
}
