using System.Text;
using Azure.Storage.Blobs;

namespace Camrelizumab.Safety.Storage.Tests.Pipeline;

/// <summary>Small exports written for the scenarios they are named after.</summary>
internal static class Exports
{
    public const string Roster = """
        study_id,subject_id,arm,randomization_date,first_dose_date
        CAMREL-RT-EC2,BJ01-001,CAMRT,2026-01-05,2026-01-08
        CAMREL-RT-EC2,BJ01-002,CAMRT,2026-01-06,2026-01-09
        CAMREL-RT-EC2,BJ01-003,CAM,2026-01-07,2026-01-10
        CAMREL-RT-EC2,BJ01-004,Z,2026-01-07,2026-01-10
        """;

    /// <summary>Two esophageal fistulas in the first two CAMRT patients: 2/2 crosses the Pocock boundary for p0 = 0.08 (stop at ≥2 of 2–3).</summary>
    public const string TwoFistulas = """
        study_id,subject_id,ae_id,verbatim_term,ctcae_term,meddra_code,grade,serious,related_camrelizumab,related_radiotherapy,onset_date,resolution_date,outcome
        CAMREL-RT-EC2,BJ01-001,1,TE fistula,Esophageal fistula,10065851,3,Y,Y,Y,2026-02-10,,NOT RECOVERED/NOT RESOLVED
        CAMREL-RT-EC2,BJ01-002,1,TE fistula,Esophageal fistula,10065851,2,N,N,Y,2026-02-20,,NOT RECOVERED/NOT RESOLVED
        CAMREL-RT-EC2,BJ01-003,1,Hair loss,Alopecia,10001760,3,N,Y,,2026-02-01,,
        CAMREL-RT-EC2,BJ01-003,2,Anaemia,Anemia,10002272,2,N,Y,,2026-02-01,2026-02-20,RECOVERED/RESOLVED
        """;

    public static Task UploadAsync(BlobContainerClient container, string name, string content, CancellationToken cancellationToken) =>
        container.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(Encoding.UTF8.GetBytes(content)), overwrite: true, cancellationToken);
}
