namespace Camrelizumab.Safety.Storage.Tables;

/// <summary>The outcome of claiming a file in the ledger.</summary>
/// <param name="Attempt">1 for the first attempt; counts every claim, across processes.</param>
/// <param name="AlreadyDone">The file was processed or quarantined before: do nothing.</param>
/// <param name="PreviousErrors">The errors of earlier failed attempts, oldest first.</param>
/// <param name="HeldElsewhere">Another worker holds a fresh claim on the same content: this delivery does nothing.</param>
public sealed record FileClaim(int Attempt, bool AlreadyDone, FileStatus Status, IReadOnlyList<string> PreviousErrors, bool HeldElsewhere = false);
