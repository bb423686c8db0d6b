using Azure.Data.Tables;
using Camrelizumab.Safety.Core.Subjects;

namespace Camrelizumab.Safety.Storage.Tables;

/// <summary>The subject roster. PartitionKey = study, RowKey = subject ID (encoded).</summary>
public sealed class SubjectTable(TableClient table)
{
    /// <summary>Writes roster rows; the first exposure recorded from EX is kept.</summary>
    public async Task<int> UpsertAsync(IEnumerable<Subject> subjects, CancellationToken cancellationToken)
    {
        var entities = subjects.Select(ToEntity).ToList();
        foreach (var study in entities.GroupBy(e => e.PartitionKey, StringComparer.Ordinal))
        {
            var stored = (await TableBatches.ReadAllAsync(table, study.Key, cancellationToken)).ToDictionary(e => e.RowKey, StringComparer.Ordinal);
            foreach (var entity in study)
            {
                if (stored.TryGetValue(entity.RowKey, out var existing) && existing.GetString("ExposureFirstDose") is { } exposure)
                {
                    entity["ExposureFirstDose"] = exposure;
                }
            }
        }

        return await TableBatches.UpsertAsync(table, entities, cancellationToken);
    }

    /// <summary>Records each subject's earliest EX start, keeping an earlier one already stored. A subject not yet on
    /// the roster is kept pending (no arm) and joins when the roster arrives.</summary>
    public async Task RecordExposureAsync(IReadOnlyDictionary<(string StudyId, string SubjectId), DateOnly> firstExposure, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(firstExposure);
        var updates = new List<TableEntity>();
        foreach (var study in firstExposure.GroupBy(p => p.Key.StudyId, StringComparer.Ordinal))
        {
            var stored = (await TableBatches.ReadAllAsync(table, TableKey.Encode(study.Key), cancellationToken)).ToDictionary(e => e.RowKey, StringComparer.Ordinal);
            foreach (var ((studyId, subjectId), start) in study)
            {
                var entity = stored.TryGetValue(TableKey.Encode(subjectId), out var existing)
                    ? new TableEntity(existing)
                    : new TableEntity(TableKey.Encode(studyId), TableKey.Encode(subjectId)) { ["StudyId"] = studyId, ["SubjectId"] = subjectId };
                entity.Remove("odata.etag");
                entity.Remove("Timestamp");
                if (ToDate(entity.GetString("ExposureFirstDose")) is { } earlier && earlier <= start)
                {
                    continue;
                }

                entity["ExposureFirstDose"] = start.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
                updates.Add(entity);
            }
        }

        await TableBatches.UpsertAsync(table, updates, cancellationToken);
    }

    /// <summary>Subjects on the study's roster; the first dose is the roster's or the earliest EX start, whichever is earlier.</summary>
    /// <remarks>One partition, so one row per subject id: a row stored under another study id (which ingest now refuses
    /// as <c>wrong-study</c>, but an earlier version stored) is never read, and never collides with the trial's own row.</remarks>
    public async Task<List<Subject>> ReadAllAsync(string studyId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(studyId);
        var entities = await TableBatches.ReadAllAsync(table, TableKey.Encode(studyId), cancellationToken);
        return [.. entities.Where(e => e.GetString("Arm") is not null).Select(e => new Subject(
            e.GetString("StudyId"),
            e.GetString("SubjectId"),
            e.GetString("Arm"),
            ToDate(e.GetString("RandomizationDate")),
            Earlier(ToDate(e.GetString("FirstDoseDate")), ToDate(e.GetString("ExposureFirstDose")))))];
    }

    private static DateOnly? Earlier(DateOnly? a, DateOnly? b) => a is null ? b : b is null ? a : a < b ? a : b;

    private static TableEntity ToEntity(Subject s) => new(TableKey.Encode(s.StudyId), TableKey.Encode(s.SubjectId))
    {
        ["StudyId"] = s.StudyId,
        ["SubjectId"] = s.SubjectId,
        ["Arm"] = s.Arm,
        ["RandomizationDate"] = s.RandomizationDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        ["FirstDoseDate"] = s.FirstDoseDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
    };

    private static DateOnly? ToDate(string? text) =>
        text is null ? null : DateOnly.ParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
