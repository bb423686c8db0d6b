using Camrelizumab.Safety.Core.AdverseEvents;
using Camrelizumab.Safety.Core.Configuration;

namespace Camrelizumab.Safety.Core.Alerts;

/// <summary>An event that must reach the safety physicians and the DSMB at ingest, with its regulatory clock.</summary>
/// <param name="ReceivedAt">When the file holding the event arrived: day 0 of the ICH E2A clock.</param>
public sealed record ExpeditedAlert(ExpeditedKind Kind, string Study, AdverseEvent Event, string? ArmLabel, DateTimeOffset ReceivedAt)
{
    /// <summary>Stable per event and kind, so re-ingesting the event never sends it twice.</summary>
    public string AlertId => $"{(Kind == ExpeditedKind.TreatmentRelatedDeath ? "death" : "susar")}.{Event.StudyId}.{Event.SubjectId}.{Event.AeId}".ToLowerInvariant();

    /// <summary>Grade 4 (life-threatening) or fatal.</summary>
    public bool IsFatalOrLifeThreatening => Event.Grade.Value >= 4 || Event.IsFatal;

    /// <summary>
    /// ICH E2A: fatal or life-threatening unexpected adverse drug reactions are reported within 7 calendar days of first
    /// knowledge, all other serious unexpected ones within 15 days. Treatment-related deaths get the 7-day clock.
    /// </summary>
    public DateTimeOffset DueAt => ReceivedAt.AddDays(IsFatalOrLifeThreatening ? 7 : 15);

    /// <summary>The expedited alerts an accepted event calls for (none, one or both kinds).</summary>
    public static IEnumerable<ExpeditedAlert> Screen(AdverseEvent adverseEvent, ExpectedAdverseEvents expected, string study, string? armLabel, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(adverseEvent);
        ArgumentNullException.ThrowIfNull(expected);
        if (!adverseEvent.IsTreatmentRelated)
        {
            yield break;
        }

        if (adverseEvent.Grade.Value == 5)
        {
            yield return new ExpeditedAlert(ExpeditedKind.TreatmentRelatedDeath, study, adverseEvent, armLabel, receivedAt);
        }

        if (adverseEvent.Serious is true && !expected.IsExpected(adverseEvent))
        {
            yield return new ExpeditedAlert(ExpeditedKind.SusarCandidate, study, adverseEvent, armLabel, receivedAt);
        }
    }
}
