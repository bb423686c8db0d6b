namespace Camrelizumab.Safety.Core.Subjects;

/// <summary>
/// One SDTM DS record: a subject's disposition (DSDECOD, e.g. COMPLETED, ADVERSE EVENT, DEATH, PROGRESSIVE DISEASE,
/// WITHDRAWAL BY SUBJECT) from study treatment or from the study.
/// </summary>
/// <param name="Term">DSDECOD (else DSTERM), upper case.</param>
/// <param name="Scope">What the subject left: study treatment or the study (DSSCAT or EPOCH; the study when neither says).</param>
/// <param name="Category">DSCAT as written; only disposition events (or rows without a category) are tabulated.</param>
public sealed record DispositionRecord(string StudyId, string SubjectId, string Term, DispositionScope Scope, string? Category, DateOnly? Date)
{
    /// <summary>A disposition event, as opposed to a protocol milestone (informed consent, randomization) or another event.</summary>
    public bool IsDispositionEvent => Category is null || Category.Equals("DISPOSITION EVENT", StringComparison.OrdinalIgnoreCase);

    /// <summary>The subject finished or left; <c>false</c> for an ongoing status such as ONGOING or CONTINUING.</summary>
    public bool IsEnd => Term is not ("ONGOING" or "CONTINUING" or "ON TREATMENT" or "ON STUDY");

    /// <summary>Reads DSSCAT or EPOCH: treatment when it names study treatment or the treatment epoch, the study otherwise.</summary>
    public static DispositionScope ScopeOf(string? text) =>
        text is not null && (text.Contains("TREATMENT", StringComparison.OrdinalIgnoreCase) || text.Contains("DRUG", StringComparison.OrdinalIgnoreCase))
            ? DispositionScope.Treatment
            : DispositionScope.Study;
}

/// <summary>What a disposition record ends: study treatment, or participation in the study (including follow-up).</summary>
public enum DispositionScope
{
    Treatment,
    Study,
}
