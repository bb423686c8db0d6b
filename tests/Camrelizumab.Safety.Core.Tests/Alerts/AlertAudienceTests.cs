using Camrelizumab.Safety.Core.Alerts;

namespace Camrelizumab.Safety.Core.Tests.Alerts;

public sealed class AlertAudienceTests
{
    /// <summary>Roles with an address in these cases; "dsmbStatistician" has none.</summary>
    private static readonly Dictionary<string, string[]> Addresses = new(StringComparer.OrdinalIgnoreCase)
    {
        ["safetyPhysicians"] = ["physician@example.org"],
        ["dsmb"] = ["dsmb@example.org"],
        ["sponsor"] = ["sponsor@example.org"],
        ["dsmbStatistician"] = [],
    };

    /// <summary>Rule recipients and closed roles, comma-separated → closed roles, blinded roles, blinded twin.</summary>
    [Theory]
    // Every recipient may see arms: no blinded twin.
    [InlineData("safetyPhysicians,dsmb", "safetyPhysicians,dsmb", "safetyPhysicians,dsmb", "", false)]
    // A recipient outside Mail:ClosedRoles with an address gets the blinded twin (no arms, counts or subject ids).
    [InlineData("safetyPhysicians,dsmb,sponsor", "safetyPhysicians,dsmb", "safetyPhysicians,dsmb", "sponsor", true)]
    // Blinded roles without an address: no twin is reserved for nobody.
    [InlineData("safetyPhysicians,dsmbStatistician,unknownRole", "safetyPhysicians", "safetyPhysicians", "dsmbStatistician,unknownRole", false)]
    // Role names compare ignoring case; a role listed twice is told once.
    [InlineData("SafetyPhysicians,sponsor,SPONSOR", "safetyphysicians", "SafetyPhysicians", "sponsor", true)]
    // No closed role among the recipients: the by-arm alert has nobody, the blinded twin still goes.
    [InlineData("sponsor", "dsmb", "", "sponsor", true)]
    public void Of_SplitsClosedFromBlinded_AndSendsTheTwinOnlyToAnAddress(string recipients, string closedRoles, string closed, string blinded, bool twin)
    {
        var audience = AlertAudience.Of(Split(recipients), Split(closedRoles), roles => [.. roles.SelectMany(r => Addresses.GetValueOrDefault(r) ?? [])]);

        Assert.Equal((closed, blinded, twin), (string.Join(',', audience.ClosedRoles), string.Join(',', audience.BlindedRoles), audience.BlindedTwin));
    }

    [Theory]
    [InlineData("escalation", "safetyPhysicians,dsmb", false)] // the default escalation role is blinded unless named closed
    [InlineData("Escalation", "escalation,dsmb", true)]
    public void IsClosed_IgnoresCase(string role, string closedRoles, bool closed) =>
        Assert.Equal(closed, AlertAudience.IsClosed(role, Split(closedRoles)));

    private static string[] Split(string roles) => roles.Split(',', StringSplitOptions.RemoveEmptyEntries);
}
