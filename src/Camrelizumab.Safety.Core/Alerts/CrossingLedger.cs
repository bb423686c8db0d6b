using System.Globalization;
using Camrelizumab.Safety.Core.Stopping;

namespace Camrelizumab.Safety.Core.Alerts;

/// <summary>A crossing alerted before for one rule in one arm: its number (1, 2, …) and whether it was cleared since.</summary>
public sealed record AlertedCrossing(int Number, bool Cleared);

/// <summary>What the alert ledger does for one rule in one arm after an evaluation.</summary>
public abstract record CrossingAction
{
    private CrossingAction()
    {
    }

    /// <summary>Nothing changes: not crossed with nothing open, or crossed with its crossing already alerted.</summary>
    public sealed record None : CrossingAction;

    /// <summary>A new crossing: alert number <paramref name="Number"/> (one more than every crossing alerted before).</summary>
    public sealed record Raise(int Number) : CrossingAction;

    /// <summary>The open crossing <paramref name="Number"/> no longer holds (corrected data): send a correction, mark it cleared.</summary>
    public sealed record Clear(int Number) : CrossingAction;

    /// <summary>
    /// The rule cannot stop at its α (its α was changed under the same id): it judges nothing, so an open crossing is
    /// neither confirmed nor cleared by it; the statistician must look at the rule.
    /// </summary>
    public sealed record HoldInfeasible(int? OpenNumber) : CrossingAction;
}

/// <summary>
/// The alert contract for stopping rules, as a pure decision: alert once per crossing, correct when it clears, never
/// let a rule that judges nothing clear anything. <see cref="DsmbAlert.IdFor"/> names crossing n of a rule in an arm and
/// <see cref="ParseNumber"/> reads n back, so the ids are built and parsed in one place.
/// </summary>
public static class CrossingLedger
{
    public static CrossingAction Decide(RuleStatus status, IReadOnlyCollection<AlertedCrossing> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var latest = history.MaxBy(c => c.Number);
        var open = latest is { Cleared: false } ? latest : null;
        return status switch
        {
            RuleStatus.Infeasible => new CrossingAction.HoldInfeasible(open?.Number),
            RuleStatus.Crossed when open is null => new CrossingAction.Raise((latest?.Number ?? 0) + 1),
            RuleStatus.Crossed => new CrossingAction.None(),
            _ when open is not null => new CrossingAction.Clear(open.Number),
            _ => new CrossingAction.None(),
        };
    }

    /// <summary>The crossing number of an alert id of this rule and arm; <c>null</c> for another rule's or arm's id.</summary>
    public static int? ParseNumber(string alertId, string ruleId, string arm)
    {
        ArgumentNullException.ThrowIfNull(alertId);
        var prefix = DsmbAlert.IdFor(ruleId, arm, 0)[..^1];
        return alertId.StartsWith(prefix, StringComparison.Ordinal)
            && int.TryParse(alertId.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : null;
    }
}
