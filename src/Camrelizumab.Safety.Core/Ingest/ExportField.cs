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
}
