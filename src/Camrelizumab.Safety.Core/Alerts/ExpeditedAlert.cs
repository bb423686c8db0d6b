using Camrelizumab.Safety.Core.AdverseEvents;

namespace Camrelizumab.Safety.Core.Alerts;

/// <summary>
/// An event that must reach the safety physicians and the DSMB at ingest, with its regulatory clock. One alert per
/// event names every reason it is expedited (a treatment-related death that is also unexpected is one email, one
/// acknowledgement).
/// </summary>
/// <param name="Kinds">Why the event is expedited, at least one.</param>
/// <param name="ReceivedAt">When the first file holding the event arrived: day 0 of the ICH E2A clock.</param>
public sealed record ExpeditedAlert(IReadOnlyList<ExpeditedKind> Kinds, string Study, AdverseEvent Event, string? ArmLabel, DateTimeOffset ReceivedAt)
{
    /// <summary>Stable per event, so re-ingesting the event never sends it twice.</summary>
    public string AlertId => IdFor(Event.StudyId, Event.SubjectId, Event.AeId);

    /// <summary>Grade 4 (life-threatening) or fatal.</summary>
    public bool IsFatalOrLifeThreatening => Event.Grade.Value >= 4 || Event.IsFatal;

    /// <summary>True when the SUSAR screen could not judge expectedness because the term awaits coding.</summary>
    public bool ExpectednessUnknown => Kinds.Contains(ExpeditedKind.SusarCandidate) && Event.IsUncoded;

    /// <summary>
    /// ICH E2A: fatal or life-threatening unexpected adverse drug reactions are reported within 7 calendar days of first
    /// knowledge, all other serious unexpected ones within 15 days. Treatment-related deaths get the 7-day clock.
    /// </summary>
    public DateTimeOffset DueAt => ReceivedAt.AddDays(IsFatalOrLifeThreatening ? 7 : 15);

    /// <summary>The reasons in words, for the subject line and the body.</summary>
    public string Reasons => string.Join("; ", Kinds.Select(k => k switch
    {
        ExpeditedKind.TreatmentRelatedDeath => "Treatment-related death",
        ExpeditedKind.SusarCandidate when Event.IsUncoded => "SUSAR candidate (serious, related; term awaiting coding, so expectedness cannot be assessed)",
        _ => $"SUSAR candidate (serious, related, {Event.TermName} not in the reference safety information)",
    }));

    public static string IdFor(string studyId, string subjectId, string aeId) => $"expedited.{studyId}.{subjectId}.{aeId}".ToLowerInvariant();

    /// <summary>The id of the follow-up raised when an event already alerted later qualifies for another reason.</summary>
    public static string FollowUpId(string alertId, ExpeditedKind kind) =>
        alertId + (kind == ExpeditedKind.TreatmentRelatedDeath ? ".death" : ".susar");

    /// <summary>
    /// The expedited alert an accepted event calls for, or <c>null</c>. Coding never decides whether a death is alerted:
    /// a treatment-related grade 5 qualifies whatever its term, and a serious related event whose term awaits coding is a
    /// SUSAR candidate because its expectedness cannot be assessed.
    /// </summary>
    public static ExpeditedAlert? Screen(AdverseEvent adverseEvent, ExpectedAdverseEvents expected, string study, string? armLabel, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(adverseEvent);
        ArgumentNullException.ThrowIfNull(expected);
        if (!adverseEvent.IsTreatmentRelated)
        {
            return null;
        }

        var kinds = new List<ExpeditedKind>(2);
        if (adverseEvent.Grade.Value == 5)
        {
            kinds.Add(ExpeditedKind.TreatmentRelatedDeath);
        }

        if (adverseEvent.Serious is true && !expected.IsExpected(adverseEvent))
        {
            kinds.Add(ExpeditedKind.SusarCandidate);
        }

        return kinds.Count == 0 ? null : new ExpeditedAlert(kinds, study, adverseEvent, armLabel, receivedAt);
    }
}
