namespace Camrelizumab.Safety.Storage.Mail;

/// <summary>How mail leaves the system. Binds to the <c>Mail</c> configuration section.</summary>
/// <remarks>Credentials come from configuration (Key Vault references in Azure), never from code.</remarks>
public sealed class MailOptions
{
    public const string SectionName = "Mail";

    public string From { get; set; } = "Camrelizumab Safety <safety-noreply@localhost>";

    /// <summary>SMTP server; when <see cref="SmtpOptions.Host"/> is empty, mail goes to <see cref="PickupDirectory"/>.</summary>
    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>Folder for <c>.eml</c> files when no SMTP server is configured.</summary>
    public string PickupDirectory { get; set; } = "mail-pickup";

    /// <summary>A sentence put at the top of every message; <c>safety demo</c> says there that its storage is gone.</summary>
    public string Notice { get; set; } = "";

    /// <summary>Addresses by role (<c>safetyPhysicians</c>, <c>dsmb</c>, <c>dataManagers</c>).</summary>
    public Dictionary<string, string[]> Recipients { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Roles allowed to see by-arm content (unblinded); other roles get the blinded version of a crossing. Empty means
    /// <c>safetyPhysicians</c> and <c>dsmb</c> (configuration binding appends to array defaults, so the default lives in
    /// <see cref="EffectiveClosedRoles"/>).
    /// </summary>
    public string[] ClosedRoles { get; set; } = [];

    /// <summary>Roles that receive expedited alerts raised at ingest; empty means <c>safetyPhysicians</c> and <c>dsmb</c>.</summary>
    public string[] ExpeditedRoles { get; set; } = [];

    public IReadOnlyList<string> EffectiveClosedRoles => Effective(ClosedRoles);

    public IReadOnlyList<string> EffectiveExpeditedRoles => Effective(ExpeditedRoles);

    /// <summary>Role that receives alerts nobody acknowledged in time; no escalation when it has no address.</summary>
    public string EscalationRole { get; set; } = "escalation";

    /// <summary>Role told once when a timer step starts failing and once when it recovers; nobody is told when it has no address.</summary>
    public string OperationsRole { get; set; } = "operators";

    /// <summary>Hours after sending before an unacknowledged alert is escalated.</summary>
    public double EscalateAfterHours { get; set; } = 24;

    private static string[] Effective(string[] roles) =>
        roles.Any(r => !string.IsNullOrWhiteSpace(r)) ? [.. roles.Where(r => !string.IsNullOrWhiteSpace(r))] : ["safetyPhysicians", "dsmb"];

    public IReadOnlyList<string> AddressesFor(IEnumerable<string> roles) =>
        [.. roles.SelectMany(r => Recipients.TryGetValue(r, out var list) ? list : []).Distinct(StringComparer.OrdinalIgnoreCase)];
}
