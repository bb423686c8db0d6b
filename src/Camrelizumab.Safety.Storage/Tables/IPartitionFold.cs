using Camrelizumab.Safety.Core.AdverseEvents;

namespace Camrelizumab.Safety.Storage.Tables;

/// <summary>
/// What a write of AEs (<see cref="AdverseEventTable.WriteAsync"/>) tells the kept facts about each subject it covers,
/// so they are folded from the partition the write holds instead of a second read.
/// </summary>
public interface IPartitionFold
{
    /// <summary>
    /// Whether the subject's kept facts were folded from exactly the live rows whose <see cref="PartitionDigest.Rows"/>
    /// hash is <paramref name="rows"/>, under the coder decisions and SUPPAE flags in force now; for a subject without
    /// kept facts, whether the partition has no live rows (<paramref name="anyLive"/> false).
    /// </summary>
    bool IsFoldedFrom((string StudyId, string SubjectId) subject, string rows, bool anyLive);

    /// <summary>Folds one subject from its live events as the write left them, whose rows hash to <paramref name="rows"/>;
    /// called concurrently.</summary>
    void Fold((string StudyId, string SubjectId) subject, List<AdverseEvent> live, string rows);
}
