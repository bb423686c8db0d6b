namespace Camrelizumab.Safety.Core.Queries;

/// <summary>
/// Every query kind, its code and the sentence a data manager reads, in one place. Each sentence says how the event
/// is counted while the query is open: always the reading that can only bring a safety signal forward, never hide one.
/// </summary>
public static class QueryMessages
{
    public static string Code(QueryKind kind) => kind switch
    {
        QueryKind.Uncoded => "uncoded",
        QueryKind.MissingAeId => "missing-ae-id",
        QueryKind.ConflictingDuplicateId => "conflicting-duplicate-id",
        QueryKind.MissingGrade => "missing-grade",
        QueryKind.UnreadableGrade => "unreadable-grade",
        QueryKind.GradeNotDefinedForTerm => "grade-not-defined-for-term",
        QueryKind.FatalGradeWithoutFatalOutcome => "grade-5-without-fatal-outcome",
        QueryKind.LabGradeDiffers => "lab-grade-differs",
        QueryKind.UnreadableLabValue => "unreadable-lab-value",
        QueryKind.UnusableMedDraCode => "unusable-meddra-code",
        QueryKind.MedDraCodeTermMismatch => "meddra-code-term-mismatch",
        QueryKind.UnreadableSeriousFlag => "unreadable-serious-flag",
        QueryKind.UnreadableRelatedFlag => "unreadable-related-flag",
        QueryKind.UnreadableTreatmentEmergentFlag => "unreadable-treatment-emergent-flag",
        QueryKind.UnreadableOnset => "unreadable-onset",
        QueryKind.UnreadableResolution => "unreadable-resolution",
        QueryKind.GradesDisagree => "grades-disagree",
        QueryKind.OnsetAfterReceipt => "onset-after-receipt",
        QueryKind.ResolutionBeforeOnset => "resolution-before-onset",
        QueryKind.UndecodableText => "undecodable-text",
        QueryKind.IdentifierNormalized => "identifier-normalized",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static string Describe(QueryKind kind, string? detail) => (kind switch
    {
        QueryKind.Uncoded =>
            "The term is not a CTCAE v5.0 term, a known synonym or a close enough match. Counted in every term-independent count and rule meanwhile; a coder resolves it with 'safety coding assign'.",
        QueryKind.MissingAeId =>
            "The AE identifier is empty; the event is identified by subject, term and onset until the site supplies one.",
        QueryKind.ConflictingDuplicateId =>
            "Another row of this file has the same subject and AE identifier with different content; both rows are kept and counted (this one under a suffixed id) until the site corrects the identifier.",
        QueryKind.MissingGrade =>
            "The grade is empty. Counted as grade 3 (grade 5 when the outcome is fatal or a death date is given) until the site reports it.",
        QueryKind.UnreadableGrade =>
            "The grade (or severity) is not a CTCAE grade 1 to 5. Counted as grade 3 (grade 5 when the outcome is fatal or a death date is given) until the site corrects it.",
        QueryKind.GradeNotDefinedForTerm =>
            "CTCAE v5.0 does not define this grade for this term. Counted at the reported grade until the site corrects the grade or the term.",
        QueryKind.FatalGradeWithoutFatalOutcome =>
            "Grade 5 (death) without a fatal outcome or a death date. Counted as a death (expedited alert and death rules) until the site corrects the grade or the outcome.",
        QueryKind.LabGradeDiffers =>
            "The lab result on the row gives a different CTCAE v5.0 grade. The reported grade stands until the site answers.",
        QueryKind.UnreadableLabValue =>
            "A lab value, limit or baseline is not a number, so the grade could not be checked against it. The reported grade stands.",
        QueryKind.UnusableMedDraCode =>
            "The MedDRA code is not the 8-digit code of a CTCAE v5.0 term; the term text was coded instead.",
        QueryKind.MedDraCodeTermMismatch =>
            "The MedDRA code and the term text name different CTCAE v5.0 terms; the code's term is used until the site corrects one of them.",
        QueryKind.UnreadableSeriousFlag =>
            "The serious flag is not Y/N. Counted as serious (and screened as a possible SUSAR) until the site corrects it.",
        QueryKind.UnreadableRelatedFlag =>
            "A relatedness flag is not Y/N. Counted as related to that treatment until the site corrects it.",
        QueryKind.UnreadableTreatmentEmergentFlag =>
            "The treatment-emergent flag is not Y/N. Counted as treatment-emergent until the site corrects it.",
        QueryKind.UnreadableOnset =>
            "The onset date is not an ISO 8601 date. Counted from the first dose (the earliest onset the data allow) until the site corrects it.",
        QueryKind.UnreadableResolution =>
            "The resolution date is not an ISO 8601 date. Counted as not resolved until the site corrects it.",
        QueryKind.GradesDisagree =>
            "Two grade columns of the row give different grades. Counted at the higher grade until the site corrects the other.",
        QueryKind.OnsetAfterReceipt =>
            "The onset date is later than the day the file was received. Counted from the first dose (the earliest onset the data allow) until the site corrects it.",
        QueryKind.ResolutionBeforeOnset =>
            "The resolution date is before the onset date. Counted as not resolved until the site corrects one of them.",
        QueryKind.UndecodableText =>
            "The cell holds bytes that are not valid in the file's encoding; they are stored as U+FFFD. The rest of the row is read as it stands; the site should re-export the file as UTF-8.",
        QueryKind.IdentifierNormalized =>
            "The identifier held invisible or look-alike characters (a Unicode hyphen, a zero-width space, full-width digits) and is stored normalized so it matches the roster; the site should correct it at the source.",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    }) + (string.IsNullOrEmpty(detail) ? "" : " " + detail);

    /// <summary>Reads a code back (stored queries); <c>null</c> for a code this build does not know.</summary>
    public static QueryKind? Parse(string code) =>
        Enum.GetValues<QueryKind>().Cast<QueryKind?>().FirstOrDefault(k => Code(k!.Value) == code);
}
