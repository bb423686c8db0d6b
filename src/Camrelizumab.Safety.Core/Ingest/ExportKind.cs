namespace Camrelizumab.Safety.Core.Ingest;

/// <summary>What a dropped file holds, told from its header.</summary>
public enum ExportKind
{
    AdverseEvents,
    SubjectRoster,
}
