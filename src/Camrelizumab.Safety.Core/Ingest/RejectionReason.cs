namespace Camrelizumab.Safety.Core.Ingest;

/// <summary>Why a row was not accepted. Messages for each live in <see cref="RejectionMessages"/>.</summary>
public enum RejectionReason
{
    MissingValue,
    FieldCountMismatch,
    InvalidIdentifier,
    InvalidGrade,
    InvalidSeverity,
    GradeNotDefinedForTerm,
    NeedsCoding,
    MedDraCodeNotFound,
    MedDraCodeTermMismatch,
    InvalidMedDraCode,
    InvalidDate,
    InvalidFlag,
    UnknownArm,
    DuplicateRow,
    ConflictingDuplicateId,
    FatalGradeWithoutFatalOutcome,
    InvalidNumber,
    UnknownSubject,
    ScreenFailure,
    OutsideSafetyPopulation,
    WrongStudy,
}
