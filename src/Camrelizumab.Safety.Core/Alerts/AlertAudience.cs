namespace Camrelizumab.Safety.Core.Alerts;

/// <summary>
/// Who is told what of a stopping-rule alert. Arms, counts and subject ids go only to the closed roles (those allowed
/// to see results by arm, <c>Mail:ClosedRoles</c>); the rule's other recipients get a blinded twin, and only when at
/// least one of them has an address: a blinded notice sent to nobody is not reserved at all.
/// </summary>
/// <param name="ClosedRoles">The rule's recipients that may see results by arm, in the rule's order.</param>
/// <param name="BlindedRoles">The rule's other recipients, each once.</param>
/// <param name="BlindedTwin">Whether a blinded twin goes out.</param>
public sealed record AlertAudience(IReadOnlyList<string> ClosedRoles, IReadOnlyList<string> BlindedRoles, bool BlindedTwin)
{
    /// <summary>Splits a rule's recipient roles (role names compare ignoring case).</summary>
    /// <param name="addressesFor">The addresses configured for some roles; empty when none has one.</param>
    public static AlertAudience Of(IReadOnlyList<string> recipients, IReadOnlyCollection<string> closedRoles, Func<IEnumerable<string>, IReadOnlyList<string>> addressesFor)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        ArgumentNullException.ThrowIfNull(closedRoles);
        ArgumentNullException.ThrowIfNull(addressesFor);
        var closed = recipients.Where(r => IsClosed(r, closedRoles)).ToList();
        var blinded = recipients.Except(closed, StringComparer.OrdinalIgnoreCase).ToList();
        return new AlertAudience(closed, blinded, blinded.Count > 0 && addressesFor(blinded).Count > 0);
    }

    /// <summary>Whether a role may see results by arm (an escalation to any other role is blinded too).</summary>
    public static bool IsClosed(string role, IReadOnlyCollection<string> closedRoles)
    {
        ArgumentNullException.ThrowIfNull(closedRoles);
        return closedRoles.Contains(role, StringComparer.OrdinalIgnoreCase);
    }
}
