namespace Camrelizumab.Safety.Storage.Tables;

/// <summary>Where a file (identified by its SHA-256) stands in ingest.</summary>
public enum FileStatus
{
    /// <summary>Claimed by a worker that is processing it now.</summary>
    Processing,

    /// <summary>The last attempt failed; it will be tried again.</summary>
    Failed,

    /// <summary>Ingested; a later drop of the same content does nothing.</summary>
    Processed,

    /// <summary>Given up on after repeated failures; the original is archived and in quarantine with an error report.</summary>
    Quarantined,
}
