namespace Camrelizumab.Safety.Core.Alerts;

/// <summary>Why an event is reported at ingest instead of waiting for the evaluation timer.</summary>
public enum ExpeditedKind
{
    /// <summary>A grade 5 event attributed to study treatment (or with no attribution reported).</summary>
    TreatmentRelatedDeath,

    /// <summary>A serious, treatment-related event whose term is not in the expected-AE list: a SUSAR candidate.</summary>
    SusarCandidate,
}
