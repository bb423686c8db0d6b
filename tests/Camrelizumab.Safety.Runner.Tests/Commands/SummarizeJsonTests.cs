using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Camrelizumab.Safety.Core.Summaries;
using Camrelizumab.Safety.Core.Tabular;
using Camrelizumab.Safety.Runner.Commands;

namespace Camrelizumab.Safety.Runner.Tests.Commands;

public sealed class SummarizeJsonTests
{
    private static readonly JsonSerializerOptions Reflection = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The hand-written JSON equals, byte for byte, what the serializer makes of the same summary by reflection: every
    /// property of an arm, a term and a SOC, so one added to the summary and not to the writer fails here.
    /// </summary>
    [Fact]
    public void Write_EqualsTheSerializerOnTheSameSummary()
    {
        // Arrange: two arms, a Chinese verbatim, a rejected row (unknown subject) and counted rows with queries.
        const string subjects = "USUBJID,TRT01A,SAFFL,DTHFL\nS1,CAM,Y,\nS2,CAM,Y,Y\nS3,CAMRT,Y,\n";
        const string events =
            "USUBJID,AESEQ,AETERM,AEDECOD,AEBODSYS,AETOXGR,AESER,AEREL,AEOUT,AEACN\n" +
            "S1,1,Pneumonitis,Pneumonitis,Respiratory disorders,3,Y,POSSIBLE,,DRUG INTERRUPTED\n" +
            "S1,2,贫血,贫血,血液及淋巴系统疾病,2,N,NONE,,\n" +
            "S2,1,\"Fatigue, \"\"severe\"\"\",Fatigue,General disorders,,N,NONE,,DRUG WITHDRAWN\n" +
            "S2,2,Esophageal fistula,Esophageal fistula,Gastrointestinal disorders,5,Y,PROBABLE,FATAL,\n" +
            "S3,1,Fatigue,Fatigue,General disorders,1,maybe,NONE,,\n" +
            "S9,1,Fatigue,Fatigue,General disorders,2,N,NONE,,\n";
        using var subjectTable = CsvTableReader.Open(new MemoryStream(Encoding.UTF8.GetBytes(subjects)));
        using var eventTable = CsvTableReader.Open(new MemoryStream(Encoding.UTF8.GetBytes(events)));
        var summary = new ExportSummarizer().Summarize(subjectTable, "adsl.csv", eventTable, "adae.csv", terms: SummaryTerms.Export, population: SummaryPopulation.Roster);
        Assert.NotEmpty(summary.Rejections);
        Assert.NotEmpty(summary.Queries);
        Assert.Equal(2, summary.Arms.Count);
        var expected = JsonSerializer.Serialize(
            new
            {
                summary.Arms,
                summary.SubjectRowsRead,
                summary.SubjectsOutsidePopulation,
                summary.EventRowsRead,
                summary.EventsCounted,
                summary.EventsOutsidePopulation,
                summary.EventsNotTreatmentEmergent,
                summary.EventsCodedToCtcae,
                summary.Rejected,
                Rejections = summary.Rejections.Select(r => new { File = r.FileName, r.Line, r.Column, r.RawValue, Reason = r.ReasonCode, r.Message }),
                Queries = summary.Queries.Select(q => new { q.Line, Subject = q.SubjectId, q.AeId, q.Column, q.RawValue, Kind = q.Code, q.Message }),
            },
            Reflection);
        using var written = new MemoryStream();

        // Act
        SummarizeJson.Write(written, summary);

        // Assert
        Assert.Equal(expected, Encoding.UTF8.GetString(written.ToArray()));
        Assert.Contains("贫血", expected, StringComparison.Ordinal);
    }
}
