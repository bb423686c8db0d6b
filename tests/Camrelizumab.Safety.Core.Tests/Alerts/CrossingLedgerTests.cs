using Camrelizumab.Safety.Core.Alerts;
using Camrelizumab.Safety.Core.Stopping;

namespace Camrelizumab.Safety.Core.Tests.Alerts;

public sealed class CrossingLedgerTests
{
    /// <summary>History as "1c,2" = crossing 1 cleared, crossing 2 open.</summary>
    public static TheoryData<RuleStatus, string, CrossingAction> Cases => new()
    {
        { RuleStatus.Ok, "", new CrossingAction.None() },
        { RuleStatus.Crossed, "", new CrossingAction.Raise(1) },
        { RuleStatus.Crossed, "1", new CrossingAction.None() },
        { RuleStatus.Ok, "1", new CrossingAction.Clear(1) },
        { RuleStatus.Crossed, "1c", new CrossingAction.Raise(2) },
        { RuleStatus.Ok, "1c", new CrossingAction.None() },
        { RuleStatus.Ok, "1c,2", new CrossingAction.Clear(2) },
        { RuleStatus.Crossed, "1c,2c,3c", new CrossingAction.Raise(4) },
        { RuleStatus.Crossed, "2c,1c", new CrossingAction.Raise(3) },
        // A rule whose α became infeasible judges nothing: its open crossing is kept, not cleared with a correction.
        { RuleStatus.Infeasible, "1", new CrossingAction.HoldInfeasible(1) },
        { RuleStatus.Infeasible, "1c", new CrossingAction.HoldInfeasible(null) },
        { RuleStatus.Infeasible, "", new CrossingAction.HoldInfeasible(null) },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decide(RuleStatus status, string history, CrossingAction expected)
    {
        var alerted = history.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(h => new AlertedCrossing(int.Parse(h.TrimEnd('c'), System.Globalization.CultureInfo.InvariantCulture), h.EndsWith('c')))
            .ToList();

        Assert.Equal(expected, CrossingLedger.Decide(status, alerted));
    }

    [Theory]
    [InlineData("tr-death-camrt.camrt.1", 1)]
    [InlineData("tr-death-camrt.camrt.12", 12)]
    [InlineData("tr-death-camrt.cam.1", null)]
    [InlineData("tr-death-camrt-2.camrt.1", null)]
    [InlineData("tr-death-camrt.camrt.", null)]
    [InlineData("tr-death-camrt.camrt.0", null)]
    [InlineData("tr-death-camrt.camrt.-1", null)]
    [InlineData("tr-death-camrt.camrt.1a", null)]
    public void ParseNumber_ReadsBackOnlyThisRuleAndArmsIds(string alertId, int? expected)
    {
        Assert.Equal("tr-death-camrt.camrt.1", DsmbAlert.IdFor("tr-death-camrt", "CAMRT", 1));
        Assert.Equal(expected, CrossingLedger.ParseNumber(alertId, "tr-death-camrt", "CAMRT"));
    }
}
