using Azure.Data.Tables;
using Camrelizumab.Safety.Core.Alerts;

namespace Camrelizumab.Safety.Storage.Tables;

/// <summary>One alert ledger row, read: what was reserved, whether it went out, who acknowledged it, and for an expedited
/// alert the event and arm it names. Columns as <see cref="AlertLedger"/> writes them.</summary>
public sealed record AlertLedgerEntry
{
    private AlertLedgerEntry(TableEntity row) => Row = row;

    /// <summary>The row as read, so that an update is conditioned on its ETag.</summary>
    internal TableEntity Row { get; }

    /// <summary>The category as stored (e.g. <c>crossing</c>).</summary>
    public required string Category { get; init; }

    /// <summary>The message id (alert id) within its category.</summary>
    public required string Id { get; init; }

    public required LedgerStatus Status { get; init; }

    /// <summary>The email's subject line.</summary>
    public string? Subject { get; init; }

    /// <summary>The email as reserved: what delivery sends and an escalation quotes.</summary>
    public required EmailContent Content { get; init; }

    public IReadOnlyList<string> Recipients { get; init; } = [];

    public DateTimeOffset? SentAt { get; init; }

    public DateTimeOffset? AcknowledgedAt { get; init; }

    public string? AcknowledgedBy { get; init; }

    public DateTimeOffset? ClearedAt { get; init; }

    public DateTimeOffset? EscalatedAt { get; init; }

    /// <summary>Expedited alerts: the subject and AE the alert is about, and the arm once known.</summary>
    public string? SubjectId { get; init; }

    public string? AeId { get; init; }

    public string? Arm { get; init; }

    /// <summary>Expedited alerts: an update naming the arm has been reserved.</summary>
    public bool ArmUpdated { get; init; }

    /// <summary>Expedited alerts: the reasons the alert and its follow-ups already named.</summary>
    public IReadOnlySet<ExpeditedKind> Kinds { get; init; } = new HashSet<ExpeditedKind>();

    /// <summary>A blob to attach when sending (a DSMB report).</summary>
    public string? AttachmentBlob { get; init; }

    /// <summary>Expedited alerts: when the event was first received (the ICH E2A clock starts there).</summary>
    public DateTimeOffset? ReceivedAt { get; init; }

    /// <summary>Send attempts so far; <c>null</c> before the first.</summary>
    public int? Attempts { get; init; }

    /// <summary>After a failed send: not due again before this.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    internal static AlertLedgerEntry Of(TableEntity row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new AlertLedgerEntry(row)
        {
            Category = TableKey.Decode(row.PartitionKey),
            Id = TableKey.Decode(row.RowKey),
            Status = Enum.Parse<LedgerStatus>(row.GetString("Status")),
            Subject = row.GetString("Subject"),
            Content = new EmailContent(row.GetString("MessageId"), row.GetString("Subject"), row.GetString("PlainText"), row.GetString("Html")),
            Recipients = row.GetString("Recipients").Split(';', StringSplitOptions.RemoveEmptyEntries),
            SentAt = row.GetDateTimeOffset("SentAt"),
            AcknowledgedAt = row.GetDateTimeOffset("AcknowledgedAt"),
            AcknowledgedBy = row.GetString("AcknowledgedBy"),
            ClearedAt = row.GetDateTimeOffset("ClearedAt"),
            EscalatedAt = row.GetDateTimeOffset("EscalatedAt"),
            SubjectId = row.GetString("SubjectId"),
            AeId = row.GetString("AeId"),
            Arm = row.GetString("Arm"),
            ArmUpdated = row.GetBoolean("ArmUpdated") is true,
            Kinds = (row.GetString("Kind") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Enum.Parse<ExpeditedKind>).ToHashSet(),
            AttachmentBlob = row.GetString("AttachmentBlob"),
            ReceivedAt = row.GetDateTimeOffset("ReceivedAt"),
            Attempts = row.GetInt32("Attempts"),
            NextAttemptAt = row.GetDateTimeOffset("NextAttemptAt"),
        };
    }
}
