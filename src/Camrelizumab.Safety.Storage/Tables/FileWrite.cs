namespace Camrelizumab.Safety.Storage.Tables;

/// <summary>
/// What writing one file's events did: the versions, and for a full export the live AEs of its source it lacks and
/// how many of the source's AEs are live once it is written (the two figures <see cref="Core.Ingest.DeletionHold"/> weighs).
/// </summary>
public sealed record FileWrite(VersionCounts Versions, IReadOnlyList<(string PartitionKey, string RowKey, string SubjectId, string AeId)> Missing, long Live);
