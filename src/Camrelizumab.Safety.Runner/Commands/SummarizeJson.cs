using System.Text.Json;
using System.Text.Json.Serialization;
using Camrelizumab.Safety.Core.Summaries;

namespace Camrelizumab.Safety.Runner.Commands;

/// <summary>What <c>safety summarize --json</c> prints, property for property.</summary>
internal sealed record SummarizeJson(
    IReadOnlyDictionary<string, ArmSummary> Arms,
    long SubjectRowsRead,
    int SubjectsOutsidePopulation,
    long EventRowsRead,
    long EventsCounted,
    long EventsOutsidePopulation,
    long EventsNotTreatmentEmergent,
    long EventsCodedToCtcae,
    long Rejected,
    IEnumerable<SummarizeJson.Rejection> Rejections,
    IEnumerable<SummarizeJson.Query> Queries)
{
    internal sealed record Rejection(string File, long Line, string Column, string? RawValue, string Reason, string Message);

    internal sealed record Query(long Line, string Subject, string AeId, string Column, string? RawValue, string Kind, string Message);

    public static SummarizeJson Of(ExportSummary summary) => new(
        summary.Arms,
        summary.SubjectRowsRead,
        summary.SubjectsOutsidePopulation,
        summary.EventRowsRead,
        summary.EventsCounted,
        summary.EventsOutsidePopulation,
        summary.EventsNotTreatmentEmergent,
        summary.EventsCodedToCtcae,
        summary.Rejected,
        summary.Rejections.Select(r => new Rejection(r.FileName, r.Line, r.Column, r.RawValue, r.ReasonCode, r.Message)),
        summary.Queries.Select(q => new Query(q.Line, q.SubjectId, q.AeId, q.Column, q.RawValue, q.Code, q.Message)));
}

/// <summary>
/// The serializer for <see cref="SummarizeJson"/>, generated at build time: a summarize run is a short process, and
/// reflection-based serialization emitted and compiled its accessors at run time (about 70 ms of each run).
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(SummarizeJson))]
internal sealed partial class SummarizeJsonContext : JsonSerializerContext
{
    /// <summary>As the reflection serializer was configured: indented, camelCase, non-ASCII terms written as they are.</summary>
    public static SummarizeJsonContext Relaxed { get; } = new(new JsonSerializerOptions
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
