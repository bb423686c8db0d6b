namespace Camrelizumab.Safety.Core.Ingest;

/// <summary>Why a row was not accepted. Messages for each live in <see cref="RejectionMessages"/>.</summary>
public enum RejectionReason
{
    MissingValue,
    FieldCountMismatch,
    InvalidIdentifier,
    InvalidGrade,
    InvalidSeverity,
    InvalidDate,
    InvalidFlag,
    UnknownArm,
    DuplicateRow,
    ConflictingDuplicateId,
    UnknownSubject,
    ScreenFailure,
    OutsideSafetyPopulation,
    WrongStudy,
    ConflictingSubject,
    InvalidNumber,
}
