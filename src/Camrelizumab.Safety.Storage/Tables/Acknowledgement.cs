namespace Camrelizumab.Safety.Storage.Tables;

/// <summary>The outcome of acknowledging an alert: who acknowledged it first and when, and whether that was earlier.</summary>
/// <param name="AlertId">The id as stored (the user may have typed it in another case).</param>
/// <param name="AlreadyAcknowledged">True when someone had acknowledged it before this call; this call is still in the trail.</param>
public sealed record Acknowledgement(string AlertId, string By, DateTimeOffset At, bool AlreadyAcknowledged);
