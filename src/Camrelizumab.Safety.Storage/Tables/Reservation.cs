namespace Camrelizumab.Safety.Storage.Tables;

/// <summary>The result of reserving a message in the alert ledger.</summary>
/// <param name="Created">True when this call created the entry; false when the same id was reserved before.</param>
public sealed record Reservation(bool Created, LedgerStatus Status);
