namespace Camrelizumab.Safety.Storage.Tables;

/// <summary>How the ingest of one version of an inbox blob ended.</summary>
public enum IngestEnd
{
    Processed,
    Duplicate,
    Quarantined,
}
