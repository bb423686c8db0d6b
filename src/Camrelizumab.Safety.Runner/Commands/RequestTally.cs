using System.Collections.Concurrent;
using System.Globalization;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Camrelizumab.Safety.Runner.Commands;

/// <summary>
/// Counts the Table service requests a client sends, by what each asks for: the benchmark's account of where storage
/// time can go when the ingest costs more than the floor (a read per partition, a query per page, a retried batch).
/// </summary>
internal sealed class RequestTally : HttpPipelinePolicy
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Count(message);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Count(message);
        return ProcessNextAsync(message, pipeline);
    }

    /// <summary>Clears the counts, so the next <see cref="Summary"/> covers one phase.</summary>
    public void Reset() => _counts.Clear();

    /// <summary>The kinds seen since <see cref="Reset"/>, most frequent first, with their count and their count per <paramref name="rows"/>.</summary>
    public string Summary(int rows) => _counts.IsEmpty
        ? "none"
        : string.Join("; ", _counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key} {c.Value:N0} ({(double)c.Value / Math.Max(1, rows):0.000}/row)")));

    /// <summary>The kind of a request: method, table, and whether it is a batch, one entity, or a query with what filter.</summary>
    internal static string Kind(string method, Uri uri)
    {
        var path = Uri.UnescapeDataString(uri.AbsolutePath);
        var last = path[(path.LastIndexOf('/') + 1)..];
        if (last == "$batch")
        {
            return $"{method} batch";
        }

        var paren = last.IndexOf('(', StringComparison.Ordinal);
        var table = paren < 0 ? last : last[..paren];
        var inside = paren < 0 ? "" : last[(paren + 1)..].TrimEnd(')');
        if (inside.Length > 0)
        {
            return $"{method} {table} entity";
        }

        var query = System.Web.HttpUtility.ParseQueryString(uri.Query);
        var filter = query["$filter"];
        var shape = filter is null ? "all"
            : filter.Contains("PartitionKey eq", StringComparison.Ordinal) ? "partition"
            : filter.Contains("PartitionKey ge", StringComparison.Ordinal) || filter.Contains("PartitionKey gt", StringComparison.Ordinal) ? "partition range"
            : "filtered";
        var page = query["NextPartitionKey"] is null ? "" : " next page";
        return method == "GET" ? $"{method} {table} query {shape}{page}" : $"{method} {table}";
    }

    /// <summary>Counts one request of this kind.</summary>
    internal void Count(string kind) => _counts.AddOrUpdate(kind, 1, (_, n) => n + 1);

    private void Count(HttpMessage message) => Count(Kind(message.Request.Method.ToString(), message.Request.Uri.ToUri()));
}
