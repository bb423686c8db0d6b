using Camrelizumab.Safety.Core.Alerts;

namespace Camrelizumab.Safety.Storage.Mail;

/// <summary>A message to deliver exactly once, under a stable id within its category.</summary>
/// <param name="Category">What the message is about; the ledger's partition.</param>
/// <param name="Id">Stable id: the same crossing or event always produces the same id.</param>
/// <param name="Details">Identifiers kept with the ledger entry (rule, arm, evaluation id); never free text.</param>
public sealed record OutboxMessage(
    MessageCategory Category,
    string Id,
    EmailContent Content,
    IReadOnlyList<string> Recipients,
    IReadOnlyDictionary<string, object?> Details);
