using Camrelizumab.Safety.Core.Alerts;

namespace Camrelizumab.Safety.Core.Tests.Alerts;

public sealed class EscalationTests
{
    private static readonly DateTimeOffset Sent = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Hours since sending (null: not sent yet), acknowledged, escalated before → due with a 24-hour limit.</summary>
    [Theory]
    [InlineData(null, false, false, false)]
    [InlineData(0.0, false, false, false)]
    [InlineData(23.99, false, false, false)]
    [InlineData(24.0, false, false, true)] // exactly at the configured hours
    [InlineData(30.0, false, false, true)]
    [InlineData(30.0, true, false, false)] // acknowledged: never
    [InlineData(30.0, false, true, false)] // escalated once already
    [InlineData(30.0, true, true, false)]
    public void IsDue(double? hoursSinceSent, bool acknowledged, bool escalated, bool due)
    {
        var now = Sent.AddHours(hoursSinceSent ?? 30);
        var alert = new SentAlert(hoursSinceSent is null ? null : Sent, acknowledged ? Sent.AddHours(1) : null, escalated);

        Assert.Equal(due, Escalation.IsDue(alert, now, TimeSpan.FromHours(24)));
    }
}
