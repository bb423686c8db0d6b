using System.Text.Json;
using Azure.Data.Tables;

namespace Camrelizumab.Safety.Storage.Tables;

/// <summary>
/// The columns of a <c>SubjectFacts</c> row: the subject, the fold version it was written for, its folded facts and the
/// verbatim keys coder decisions may change, both as JSON split into numbered parts when long.
/// </summary>
internal static class SubjectFactsRows
{
    /// <summary>A stored string property holds at most 32 K UTF-16 characters; longer JSON goes into numbered parts.</summary>
    private const int MaxChars = 30_000;

    public static TableEntity Create(string partitionKey, string studyId, string subjectId, string foldVersion, string factsJson, string decisionKeysJson)
    {
        var entity = new TableEntity(partitionKey, TableKey.Encode(subjectId))
        {
            ["StudyId"] = studyId,
            ["SubjectId"] = subjectId,
            ["FoldVersion"] = foldVersion,
        };
        WriteChunked(entity, "Facts", factsJson);
        WriteChunked(entity, "DecisionKeys", decisionKeysJson);
        EntitySize.Check(entity);
        return entity;
    }

    public static string? FoldVersionOf(TableEntity row) => row.GetString("FoldVersion");

    public static (string StudyId, string SubjectId) KeyOf(TableEntity row) => (row.GetString("StudyId"), row.GetString("SubjectId"));

    /// <summary>The facts as JSON.</summary>
    public static string FactsOf(TableEntity row) => ReadChunked(row, "Facts");

    /// <summary>The verbatim keys of the subject's events that coder decisions may code.</summary>
    public static List<string> DecisionKeysOf(TableEntity row) =>
        JsonSerializer.Deserialize<List<string>>(ReadChunked(row, "DecisionKeys")) ?? throw new InvalidOperationException($"Subject facts {row.PartitionKey}/{row.RowKey} have no DecisionKeys.");

    /// <summary>Both absent, or the same fold version, facts and decision keys: writing would change nothing.</summary>
    public static bool Same(TableEntity? stored, TableEntity? next) =>
        (stored is null && next is null)
        || (stored is not null && next is not null
            && FoldVersionOf(stored) == FoldVersionOf(next)
            && ReadChunked(stored, "Facts") == ReadChunked(next, "Facts")
            && ReadChunked(stored, "DecisionKeys") == ReadChunked(next, "DecisionKeys"));

    private static void WriteChunked(TableEntity entity, string name, string text)
    {
        for (var part = 0; part * MaxChars < text.Length || part == 0; part++)
        {
            entity[part == 0 ? name : $"{name}{part}"] = text.Substring(part * MaxChars, Math.Min(MaxChars, text.Length - (part * MaxChars)));
        }
    }

    private static string ReadChunked(TableEntity entity, string name)
    {
        var text = entity.GetString(name) ?? "";
        for (var part = 1; entity.GetString($"{name}{part}") is { } more; part++)
        {
            text += more;
        }

        return text;
    }
}
