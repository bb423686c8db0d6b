namespace Camrelizumab.Safety.Storage.Tables;

/// <summary>Where a message stands in the alert ledger.</summary>
public enum LedgerStatus
{
    /// <summary>Reserved; not yet confirmed sent (new, or a send failed and will be retried).</summary>
    Pending,

    /// <summary>Handed to the mail transport successfully.</summary>
    Sent,
}
