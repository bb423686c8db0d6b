namespace Camrelizumab.Safety.Core.Alerts;

/// <summary>Where a sent alert stands for escalation: when it was sent, whether anyone acknowledged it, whether it was escalated.</summary>
/// <param name="SentAt"><c>null</c> while the alert is still waiting to be sent.</param>
public sealed record SentAlert(DateTimeOffset? SentAt, DateTimeOffset? AcknowledgedAt, bool Escalated);

/// <summary>
/// The escalation rule: an alert that was sent, that nobody acknowledged, and that was not escalated before is
/// escalated once, as soon as <c>after</c> has passed since it was sent (exactly then, not a run later).
/// </summary>
public static class Escalation
{
    public static bool IsDue(SentAlert alert, DateTimeOffset now, TimeSpan after)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return alert is { SentAt: { } sent, AcknowledgedAt: null, Escalated: false } && now - sent >= after;
    }
}
