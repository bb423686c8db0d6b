using System.Text.Json;
using Camrelizumab.Safety.Core.Queries;

namespace Camrelizumab.Safety.Storage.Tables;

/// <summary>An event's open queries as one JSON column (kind code, column, raw value, detail), part of its content:
/// a corrected export without the problem is a new version, and the query is gone from it.</summary>
internal static class EventQueries
{
    /// <summary>Raw values and details are cut to this many characters, so a hostile cell cannot push the entity over
    /// its size limit; the ingest report's CSV keeps every refused value whole.</summary>
    private const int MaxText = 500;

    public static string? Write(IReadOnlyList<EventQuery> queries) =>
        queries.Count == 0 ? null : JsonSerializer.Serialize(queries.Select(q => new[] { q.Code, q.Column, Cut(q.RawValue), Cut(q.Detail) }));

    public static IReadOnlyList<EventQuery> Read(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }

        return [.. JsonSerializer.Deserialize<string?[][]>(json)!.Select(q => new EventQuery(
            QueryMessages.Parse(q[0]!) ?? throw new InvalidDataException($"Stored query kind '{q[0]}' is not known to this build."),
            q[1]!,
            q[2],
            q[3]))];
    }

    private static string? Cut(string? text) => text is { Length: > MaxText } ? text[..MaxText] + "…" : text;
}
