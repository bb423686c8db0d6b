using System.Text.Encodings.Web;
using System.Text.Json;
using Camrelizumab.Safety.Core.Summaries;

namespace Camrelizumab.Safety.Runner.Commands;

/// <summary>
/// What <c>safety summarize --json</c> prints: the summary, property for property in camelCase, indented, non-ASCII
/// terms written as they are.
/// </summary>
/// <remarks>
/// Written with a <see cref="Utf8JsonWriter"/> rather than a serializer: a summarize run is a short process, and a
/// serializer's set-up (options, metadata, converters) was about a twentieth of it. A test holds this output equal to
/// what <see cref="JsonSerializer"/> makes of the same summary, an arm's, a term's and a SOC's properties found by
/// reflection, so one added to those and not here fails it.
/// </remarks>
internal static class SummarizeJson
{
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(Stream stream, ExportSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        using var json = new Utf8JsonWriter(stream, Options);
        json.WriteStartObject();
        json.WriteStartObject("arms");
        foreach (var (name, arm) in summary.Arms)
        {
            json.WriteStartObject(name);
            WriteArm(json, arm);
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteNumber("subjectRowsRead", summary.SubjectRowsRead);
        json.WriteNumber("subjectsOutsidePopulation", summary.SubjectsOutsidePopulation);
        json.WriteNumber("eventRowsRead", summary.EventRowsRead);
        json.WriteNumber("eventsCounted", summary.EventsCounted);
        json.WriteNumber("eventsOutsidePopulation", summary.EventsOutsidePopulation);
        json.WriteNumber("eventsNotTreatmentEmergent", summary.EventsNotTreatmentEmergent);
        json.WriteNumber("eventsCodedToCtcae", summary.EventsCodedToCtcae);
        json.WriteNumber("rejected", summary.Rejected);
        json.WriteStartArray("rejections");
        foreach (var r in summary.Rejections)
        {
            json.WriteStartObject();
            json.WriteString("file", r.FileName);
            json.WriteNumber("line", r.Line);
            json.WriteString("column", r.Column);
            json.WriteString("rawValue", r.RawValue);
            json.WriteString("reason", r.ReasonCode);
            json.WriteString("message", r.Message);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("queries");
        foreach (var q in summary.Queries)
        {
            json.WriteStartObject();
            json.WriteNumber("line", q.Line);
            json.WriteString("subject", q.SubjectId);
            json.WriteString("aeId", q.AeId);
            json.WriteString("column", q.Column);
            json.WriteString("rawValue", q.RawValue);
            json.WriteString("kind", q.Code);
            json.WriteString("message", q.Message);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteArm(Utf8JsonWriter json, ArmSummary arm)
    {
        json.WriteNumber("subjects", arm.Subjects);
        json.WriteNumber("events", arm.Events);
        json.WriteNumber("subjectsWithAnyEvent", arm.SubjectsWithAnyEvent);
        json.WriteStartObject("subjectsByWorstGrade");
        foreach (var (grade, subjects) in arm.SubjectsByWorstGrade)
        {
            json.WriteNumber(grade, subjects);
        }

        json.WriteEndObject();
        json.WriteNumber("subjectsWithGrade3OrWorse", arm.SubjectsWithGrade3OrWorse);
        json.WriteNumber("subjectsWithGrade4OrWorse", arm.SubjectsWithGrade4OrWorse);
        json.WriteNumber("subjectsWithGrade5", arm.SubjectsWithGrade5);
        json.WriteNumber("subjectsWithSerious", arm.SubjectsWithSerious);
        json.WriteNumber("subjectsWithRelated", arm.SubjectsWithRelated);
        json.WriteNumber("subjectsWithFatal", arm.SubjectsWithFatal);
        json.WriteNumber("subjectsDied", arm.SubjectsDied);
        json.WriteNumber("subjectsWithdrawnFromStudyForAe", arm.SubjectsWithdrawnFromStudyForAe);
        json.WriteNumber("subjectsWithAeLeadingToWithdrawal", arm.SubjectsWithAeLeadingToWithdrawal);
        json.WriteNumber("subjectsWithAeLeadingToDoseModification", arm.SubjectsWithAeLeadingToDoseModification);
        json.WriteNumber("subjectsWithSeriousLeadingToWithdrawal", arm.SubjectsWithSeriousLeadingToWithdrawal);
        json.WriteNumber("subjectsWithSeriousLeadingToDoseModification", arm.SubjectsWithSeriousLeadingToDoseModification);
        json.WriteNumber("subjectsWithRelatedSerious", arm.SubjectsWithRelatedSerious);
        json.WriteNumber("subjectsWithRelatedLeadingToWithdrawal", arm.SubjectsWithRelatedLeadingToWithdrawal);
        json.WriteNumber("subjectsWithRelatedLeadingToDoseModification", arm.SubjectsWithRelatedLeadingToDoseModification);
        json.WriteNumber("subjectsWithSevere", arm.SubjectsWithSevere);
        json.WriteStartArray("topTerms");
        foreach (var term in arm.TopTerms)
        {
            WriteTerm(json, term);
        }

        json.WriteEndArray();
        json.WriteStartArray("bySoc");
        foreach (var soc in arm.BySoc)
        {
            json.WriteStartObject();
            json.WriteString("soc", soc.Soc);
            json.WriteNumber("subjects", soc.Subjects);
            json.WriteNumber("events", soc.Events);
            json.WriteStartArray("terms");
            foreach (var term in soc.Terms)
            {
                WriteTerm(json, term);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteTerm(Utf8JsonWriter json, TermSummary term)
    {
        json.WriteStartObject();
        json.WriteString("term", term.Term);
        json.WriteNumber("subjects", term.Subjects);
        json.WriteNumber("events", term.Events);
        json.WriteEndObject();
    }
}
