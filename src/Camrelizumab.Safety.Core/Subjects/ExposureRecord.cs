namespace Camrelizumab.Safety.Core.Subjects;

/// <summary>
/// One SDTM EX record: a treatment given to a subject from <see cref="Start"/> to <see cref="End"/> (one day when no
/// end is given). A record is one administration (an infusion, a radiotherapy fraction) unless
/// <see cref="Frequency"/> says it spans daily doses (QD, BID, …).
/// </summary>
/// <param name="Treatment">EXTRT as written (e.g. <c>CAMRELIZUMAB</c>, <c>RADIOTHERAPY</c>).</param>
public sealed record ExposureRecord(string StudyId, string SubjectId, string Treatment, DateOnly Start)
{
    public DateOnly? End { get; init; }

    /// <summary>EXDOSE per administration, in <see cref="Unit"/>; <c>null</c> when not reported.</summary>
    public decimal? Dose { get; init; }

    /// <summary>EXDOSU as written (mg, mg/kg, Gy, cGy).</summary>
    public string? Unit { get; init; }

    /// <summary>EXDOSFRQ as written (ONCE, Q2W, QD, BID).</summary>
    public string? Frequency { get; init; }

    /// <summary>EXSEQ when the export gives it: what identifies the record across exports.</summary>
    public string? Sequence { get; init; }

    /// <summary>The last day the record covers.</summary>
    public DateOnly LastDay => End is { } end && end > Start ? end : Start;
}
