namespace Camrelizumab.Safety.Core.Queries;

/// <summary>
/// A data problem on a stored AE. The event is kept and counted conservatively while the query is open; how each kind
/// is counted is written in <see cref="QueryMessages"/> and in the README ("Queries, not drops").
/// </summary>
public enum QueryKind
{
    /// <summary>No rung of the coding ladder (and no coder decision) gives a CTCAE v5.0 term.</summary>
    Uncoded,

    /// <summary>The row has no AE identifier; the event is identified by subject, term and onset.</summary>
    MissingAeId,

    /// <summary>Another row of the same file has the same subject and AE id but different content; both are kept.</summary>
    ConflictingDuplicateId,

    /// <summary>The grade (or severity) is empty.</summary>
    MissingGrade,

    /// <summary>The grade is not 1–5, or the severity is not a known word.</summary>
    UnreadableGrade,

    /// <summary>CTCAE v5.0 does not define the reported grade for the term (Alopecia grade 3).</summary>
    GradeNotDefinedForTerm,

    /// <summary>Grade 5 with an outcome that is not fatal, or with an empty death date.</summary>
    FatalGradeWithoutFatalOutcome,

    /// <summary>The lab result on the row gives another CTCAE grade than the one reported.</summary>
    LabGradeDiffers,

    /// <summary>A lab value, limit or baseline on the row is not a number.</summary>
    UnreadableLabValue,

    /// <summary>The MedDRA code is not 8 digits or is not the code of a CTCAE v5.0 term.</summary>
    UnusableMedDraCode,

    /// <summary>The MedDRA code and the term text name different CTCAE v5.0 terms.</summary>
    MedDraCodeTermMismatch,

    /// <summary>The serious flag is not Y/N.</summary>
    UnreadableSeriousFlag,

    /// <summary>A relatedness flag (camrelizumab, radiotherapy or study drug) is not Y/N.</summary>
    UnreadableRelatedFlag,

    /// <summary>The treatment-emergent flag is not Y/N.</summary>
    UnreadableTreatmentEmergentFlag,

    /// <summary>The onset date is not an ISO 8601 date.</summary>
    UnreadableOnset,

    /// <summary>The resolution date is not an ISO 8601 date.</summary>
    UnreadableResolution,

    /// <summary>Two grade columns of the row (a flat "grade" and AETOXGR) give different grades.</summary>
    GradesDisagree,

    /// <summary>The onset is later than the day the file was received: it cannot have happened yet.</summary>
    OnsetAfterReceipt,

    /// <summary>The resolution date is before the onset date.</summary>
    ResolutionBeforeOnset,

    /// <summary>A cell holds bytes the file's encoding could not decode (stored as U+FFFD).</summary>
    UndecodableText,

    /// <summary>The subject or AE id held look-alike characters (a Unicode hyphen, a zero-width space) and was normalized.</summary>
    IdentifierNormalized,
}
