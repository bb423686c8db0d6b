using System.Text.Json.Serialization;
using Camrelizumab.Safety.Core.Text;

namespace Camrelizumab.Safety.Core.Ingest;

/// <summary>What a dropped file holds, told from its header.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<ExportKind>))]
public enum ExportKind
{
    AdverseEvents,
    SubjectRoster,

    /// <summary>SDTM SUPPAE: supplemental qualifiers of AEs (the treatment-emergent flag AETRTEM).</summary>
    SupplementalQualifiers,

    /// <summary>SDTM EX: exposure records; the earliest start is the subject's first dose.</summary>
    Exposure,

    /// <summary>SDTM DS: disposition records (why and when a subject left study treatment or the study).</summary>
    Disposition,
}
