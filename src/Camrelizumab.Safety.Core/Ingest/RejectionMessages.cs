namespace Camrelizumab.Safety.Core.Ingest;

/// <summary>Every reason code and the sentence a data manager reads for it, in one place.</summary>
internal static class RejectionMessages
{
    /// <summary>The stable kebab-case code written to reports.</summary>
    public static string Code(RejectionReason reason) => reason switch
    {
        RejectionReason.MissingValue => "missing-value",
        RejectionReason.FieldCountMismatch => "field-count-mismatch",
        RejectionReason.InvalidIdentifier => "invalid-identifier",
        RejectionReason.InvalidGrade => "invalid-grade",
        RejectionReason.InvalidSeverity => "invalid-severity",
        RejectionReason.InvalidDate => "invalid-date",
        RejectionReason.InvalidFlag => "invalid-flag",
        RejectionReason.UnknownArm => "unknown-arm",
        RejectionReason.DuplicateRow => "duplicate-row",
        RejectionReason.ConflictingDuplicateId => "conflicting-duplicate-id",
        RejectionReason.UnknownSubject => "unknown-subject",
        RejectionReason.ScreenFailure => "screen-failure",
        RejectionReason.OutsideSafetyPopulation => "outside-safety-population",
        RejectionReason.WrongStudy => "wrong-study",
        RejectionReason.ConflictingSubject => "conflicting-subject",
        RejectionReason.InvalidNumber => "invalid-number",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };

    /// <summary>The sentence for a reason; <paramref name="detail"/> adds what the row said or what was expected.</summary>
    public static string Describe(RejectionReason reason, string? detail) => (reason switch
    {
        RejectionReason.MissingValue => "A required value is empty.",
        RejectionReason.FieldCountMismatch => "The row has a different number of fields from the header.",
        RejectionReason.InvalidIdentifier => "The identifier contains control, bidirectional-format or undecodable characters, or is longer than 200 characters.",
        RejectionReason.InvalidGrade => "The grade is not a CTCAE grade 1 to 5.",
        RejectionReason.InvalidSeverity => "With no grade, the severity must be mild, moderate, severe, life-threatening or fatal.",
        RejectionReason.InvalidDate => "The date is not an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD).",
        RejectionReason.InvalidFlag => "Expected Y/N (or Yes/No, Related/Not related).",
        RejectionReason.UnknownArm => "The arm is not one of the trial's arms.",
        RejectionReason.DuplicateRow => "The row repeats an earlier row of the same file exactly; the earlier row was kept.",
        RejectionReason.ConflictingDuplicateId => "Another row of the same file has the same subject and AE identifier but different content.",
        RejectionReason.UnknownSubject => "The subject is not in the subject file (DM, ADSL or roster).",
        RejectionReason.ScreenFailure => "A screen failure or a subject never assigned to an arm: not part of any arm, so not counted (no correction needed).",
        RejectionReason.OutsideSafetyPopulation => "The subject is not in the safety population (SAFFL is not Y): not counted (no correction needed).",
        RejectionReason.WrongStudy => "The row belongs to another study; it is never stored in this trial. Check that the file was dropped into the right trial's inbox.",
        RejectionReason.ConflictingSubject => "An earlier row of the same file names this subject with another arm or other dates; the earlier row was kept. Correct the roster so that the subject appears once.",
        RejectionReason.InvalidNumber => "The value is not a number (digits with an optional '.' decimal point).",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    }) + (string.IsNullOrEmpty(detail) ? "" : " " + detail);
}
