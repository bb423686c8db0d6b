namespace Camrelizumab.Safety.Core.Ingest;

/// <summary>A row that was read but not accepted: which file, which line, which column, what it said and why.</summary>
/// <param name="Line">The physical line (1-based, header = line 1 in a text file) where the row starts.</param>
public sealed record RowRejection(string FileName, long Line, string Column, string? RawValue, RejectionReason Reason, string? Detail = null)
{
    public string ReasonCode => RejectionMessages.Code(Reason);

    public string Message => RejectionMessages.Describe(Reason, Detail);
}
