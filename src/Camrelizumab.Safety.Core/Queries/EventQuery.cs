namespace Camrelizumab.Safety.Core.Queries;

/// <summary>One open data question on a stored AE: what is wrong, where, and how the event is counted meanwhile.</summary>
/// <param name="Column">The export column the problem is in, as the file names it.</param>
/// <param name="RawValue">What the cell said (<c>null</c> when empty). Kept in storage and reports for the data
/// manager; never written to logs.</param>
/// <param name="Detail">What was expected or found (closest terms, the grades a term defines, the lab grade).</param>
public sealed record EventQuery(QueryKind Kind, string Column, string? RawValue, string? Detail = null)
{
    /// <summary>The stable kebab-case code written to reports and the queries listing.</summary>
    public string Code => QueryMessages.Code(Kind);

    /// <summary>What is wrong, how the event is counted meanwhile, and what resolves it.</summary>
    public string Message => QueryMessages.Describe(Kind, Detail);

    /// <summary>True for the kinds a coder resolves (<c>safety coding assign</c>); the others the site resolves with a corrected export.</summary>
    public bool IsCoding => Kind == QueryKind.Uncoded;

    /// <summary>True for the kinds that put the reported grade in doubt.</summary>
    public bool IsGrading => Kind is QueryKind.MissingGrade or QueryKind.UnreadableGrade or QueryKind.GradeNotDefinedForTerm
        or QueryKind.FatalGradeWithoutFatalOutcome or QueryKind.LabGradeDiffers or QueryKind.GradesDisagree;
}
