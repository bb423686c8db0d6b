using Azure.Data.Tables;
using Camrelizumab.Safety.Core.AdverseEvents;
using Camrelizumab.Safety.Core.Ctcae;

namespace Camrelizumab.Safety.Storage.Tables;

/// <summary>
/// Stored adverse events. PartitionKey = study|subject, RowKey = AE id (both <see cref="TableKey"/>-encoded), so one
/// subject's events share a partition and a later export with the same identity replaces the event.
/// </summary>
public sealed class AdverseEventTable(TableClient table, CtcaeDictionary dictionary)
{
    public TableClient Client => table;

    public static string PartitionKeyFor(string studyId, string subjectId) => TableKey.Encode($"{studyId}|{subjectId}");

    public Task<int> UpsertAsync(IEnumerable<AdverseEvent> events, CancellationToken cancellationToken) =>
        TableBatches.UpsertAsync(table, events.Select(ToEntity), cancellationToken);

    public async Task<List<AdverseEvent>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var entities = await TableBatches.ReadAllAsync(table, null, cancellationToken);
        return [.. entities.Select(FromEntity)];
    }

    internal static TableEntity ToEntity(AdverseEvent e) => new(PartitionKeyFor(e.StudyId, e.SubjectId), TableKey.Encode(e.AeId))
    {
        ["StudyId"] = e.StudyId,
        ["SubjectId"] = e.SubjectId,
        ["AeId"] = e.AeId,
        ["VerbatimTerm"] = e.VerbatimTerm,
        ["MedDraCode"] = e.Term.Code.Value,
        ["CtcaeTerm"] = e.Term.Name,
        ["Soc"] = e.Term.Soc,
        ["CodingMethod"] = e.CodingMethod.ToString(),
        ["CodingConfidence"] = e.CodingConfidence,
        ["Grade"] = e.Grade.Value,
        ["GradeDerivedFromSeverity"] = e.GradeDerivedFromSeverity,
        ["Serious"] = e.Serious,
        ["RelatedToCamrelizumab"] = e.RelatedToCamrelizumab,
        ["RelatedToRadiotherapy"] = e.RelatedToRadiotherapy,
        ["Onset"] = e.Onset?.ToString(),
        ["Resolution"] = e.Resolution?.ToString(),
        ["Outcome"] = e.Outcome,
        ["ActionTaken"] = e.ActionTaken,
        ["SourceFile"] = e.Source.FileName,
        ["SourceSha256"] = e.Source.Sha256,
        ["SourceLine"] = e.Source.Line,
    };

    private AdverseEvent FromEntity(TableEntity entity)
    {
        var code = new MedDraCode(entity.GetInt32("MedDraCode") ?? throw Missing(entity, "MedDraCode"));
        return new AdverseEvent
        {
            StudyId = entity.GetString("StudyId"),
            SubjectId = entity.GetString("SubjectId"),
            AeId = entity.GetString("AeId"),
            VerbatimTerm = entity.GetString("VerbatimTerm"),
            Term = dictionary.Find(code) ?? throw new InvalidOperationException($"Stored AE {entity.PartitionKey}/{entity.RowKey} has MedDRA code {code}, which is not in {CtcaeDictionary.Version}."),
            CodingMethod = Enum.TryParse<Core.Coding.CodingMethod>(entity.GetString("CodingMethod"), out var method) ? method : Core.Coding.CodingMethod.ExactTerm,
            CodingConfidence = entity.GetDouble("CodingConfidence") ?? 1,
            Grade = new CtcaeGrade(entity.GetInt32("Grade") ?? throw Missing(entity, "Grade")),
            GradeDerivedFromSeverity = entity.GetBoolean("GradeDerivedFromSeverity") ?? false,
            Serious = entity.GetBoolean("Serious"),
            RelatedToCamrelizumab = entity.GetBoolean("RelatedToCamrelizumab"),
            RelatedToRadiotherapy = entity.GetBoolean("RelatedToRadiotherapy"),
            Onset = ParseDate(entity.GetString("Onset")),
            Resolution = ParseDate(entity.GetString("Resolution")),
            Outcome = entity.GetString("Outcome"),
            ActionTaken = entity.GetString("ActionTaken"),
            Source = new SourceReference(entity.GetString("SourceFile"), entity.GetString("SourceSha256"), entity.GetInt64("SourceLine") ?? 0),
        };
    }

    private static PartialDate? ParseDate(string? text) => PartialDate.TryParse(text, out var date) ? date : null;

    private static InvalidOperationException Missing(TableEntity entity, string property) =>
        new($"Stored AE {entity.PartitionKey}/{entity.RowKey} has no {property}.");
}
