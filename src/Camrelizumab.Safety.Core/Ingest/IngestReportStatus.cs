using System.Text.Json.Serialization;
using Camrelizumab.Safety.Core.Text;

namespace Camrelizumab.Safety.Core.Ingest;

/// <summary>How one dropped file ended, as its ingest report states it.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<IngestReportStatus>))]
public enum IngestReportStatus
{
    /// <summary>Read to the end: every row stored or refused with a reason.</summary>
    Processed,

    /// <summary>Could not be read as a whole; nothing of it counts, and the file waits in quarantine.</summary>
    Quarantined,
}
