namespace Camrelizumab.Safety.Core.AdverseEvents;

/// <summary>Which attribution an event needs to count for a rule.</summary>
public enum Attribution
{
    /// <summary>Counted whatever the attribution.</summary>
    Any,

    /// <summary>Related to camrelizumab or to radiotherapy (a missing attribution counts as related).</summary>
    StudyTreatment,

    /// <summary>Related to camrelizumab.</summary>
    Camrelizumab,

    /// <summary>Related to radiotherapy.</summary>
    Radiotherapy,
}
