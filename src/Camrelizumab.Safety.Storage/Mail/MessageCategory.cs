namespace Camrelizumab.Safety.Storage.Mail;

/// <summary>
/// What a message is about: the alert ledger's partition, stored by its kebab-case name (<c>PossibleCrossing</c> →
/// <c>possible-crossing</c>, <see cref="Core.Text.KebabCase"/>). Every step names its messages from this one list.
/// </summary>
public enum MessageCategory
{
    /// <summary>A stopping rule crossed (closed roles, arm named).</summary>
    Crossing,

    /// <summary>The blinded twin of a crossing, without the arm.</summary>
    CrossingBlinded,

    /// <summary>A crossing that no longer holds after data changed.</summary>
    Correction,

    /// <summary>A crossing, correction, possible crossing or expedited alert nobody acknowledged in time.</summary>
    Escalation,

    /// <summary>A rule that would cross if the events awaiting coding qualified.</summary>
    PossibleCrossing,

    /// <summary>A possible crossing that no longer holds.</summary>
    PossibleCleared,

    /// <summary>An event to report within expedited timelines (SUSAR screening, death).</summary>
    Expedited,

    /// <summary>An expedited alert's arm, once the roster names it.</summary>
    ExpeditedUpdate,

    /// <summary>A file's ingest report for the data managers.</summary>
    Ingest,

    /// <summary>A DSMB summary published.</summary>
    Summary,

    /// <summary>A blob the host gave up on.</summary>
    Poison,

    /// <summary>A pipeline step failing or recovered.</summary>
    Operations,
}
