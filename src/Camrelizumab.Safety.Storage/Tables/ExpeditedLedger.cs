using Camrelizumab.Safety.Core.Alerts;

namespace Camrelizumab.Safety.Storage.Tables;

/// <summary>What the alert ledger keeps about an expedited alert besides its message: the event, the reasons named, the arm.</summary>
internal static class ExpeditedLedger
{
    public static Dictionary<string, object?> Details(ExpeditedAlert alert, string? arm) => new()
    {
        ["Kind"] = string.Join(',', alert.Kinds),
        ["StudyId"] = alert.Event.StudyId,
        ["SubjectId"] = alert.Event.SubjectId,
        ["AeId"] = alert.Event.AeId,
        ["Arm"] = arm,
        ["ReceivedAt"] = alert.ReceivedAt,
        ["DueAt"] = alert.DueAt,
    };

    /// <summary>The reasons an alert (and its follow-ups) already named.</summary>
    public static HashSet<ExpeditedKind> KindsOf(AlertLedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return [.. entry.Kinds];
    }
}
