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

    /// <summary>Addresses by role (<c>safetyPhysicians</c>, <c>dsmb</c>, <c>dataManagers</c>).</summary>
    public Dictionary<string, string[]> Recipients { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<string> AddressesFor(IEnumerable<string> roles) =>
        [.. roles.SelectMany(r => Recipients.TryGetValue(r, out var list) ? list : []).Distinct(StringComparer.OrdinalIgnoreCase)];
}
