namespace Camrelizumab.Safety.Core.Ingest;

/// <summary>The logical columns an export can carry, whatever the source calls them.</summary>
public enum ExportField
{
    StudyId,
    SubjectId,
    AeId,
    VerbatimTerm,
    CtcaeTerm,
    MedDraCode,
    Grade,
    Severity,
    DeathDate,

    /// <summary>SDTM AESDTH: the event resulted in death (Y/N).</summary>
    ResultsInDeath,
    Serious,
    RelatedToCamrelizumab,
    RelatedToRadiotherapy,
    RelatedToStudyDrug,
    Onset,
    Resolution,
    Outcome,
    ActionTaken,
    Arm,
    RandomizationDate,
    FirstDoseDate,
    TreatmentEmergent,
    SafetyPopulation,
    ExposureStart,

    /// <summary>SDTM EX: EXENDTC, EXTRT, EXDOSE, EXDOSU, EXDOSFRQ, EXSEQ.</summary>
    ExposureEnd,
    ExposureTreatment,
    ExposureDose,
    ExposureDoseUnit,
    ExposureFrequency,
    ExposureSequence,

    /// <summary>SDTM DS: DSDECOD (else DSTERM), DSCAT, DSSCAT or EPOCH, DSSTDTC.</summary>
    DispositionTerm,
    DispositionCategory,
    DispositionScope,
    DispositionDate,
    QualifierIdVariable,
    QualifierIdValue,
    QualifierName,
    QualifierValue,

    /// <summary>A lab result behind a lab-based AE (ADaM AVAL, SDTM LBSTRESN), checked against the reported grade.</summary>
    LabValue,
    LabUnit,
    LabLowerLimit,
    LabUpperLimit,
    LabBaseline,
    LabBaselineRange,

    /// <summary>Percent change from baseline (ADaM PCHG), for criteria that grade a change.</summary>
    LabPercentChange,

    /// <summary>The export's own body system or SOC (AEBODSYS), counted by when counting by the export's terms.</summary>
    BodySystem,

    /// <summary>The subject file's death flag (ADSL/DM DTHFL).</summary>
    SubjectDied,

    /// <summary>The subject file's reason for leaving the study (ADSL DCSREAS).</summary>
    DiscontinuationReason,
}
