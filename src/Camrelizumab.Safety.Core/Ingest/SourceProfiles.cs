using Camrelizumab.Safety.Core.Text;

namespace Camrelizumab.Safety.Core.Ingest;

/// <summary>The export sources of <c>config/sources.json</c>, and the folder-named source for any other file.</summary>
public sealed record SourceProfiles
{
    private const string EmbeddedResource = "Camrelizumab.Safety.Core.sources.json";

    private static readonly Lazy<SourceProfiles> Defaults = new(() =>
    {
        using var stream = EmbeddedConfiguration.Open(EmbeddedResource);
        return Load(stream, "sources.json (embedded)");
    });

    public required string Version { get; init; }

    public required IReadOnlyList<SourceProfile> Sources { get; init; }

    public static SourceProfiles LoadDefaults() => Defaults.Value;

    public static SourceProfiles Load(Stream stream, string sourceName)
    {
        var (profiles, _, _) = EmbeddedConfiguration.Read<SourceProfiles>(stream, sourceName);
        var problems = new List<string>();
        foreach (var group in profiles.Sources.GroupBy(s => s.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"source '{group.Key}' is defined {group.Count()} times");
        }

        foreach (var source in profiles.Sources)
        {
            if (string.IsNullOrWhiteSpace(source.Name) || string.IsNullOrWhiteSpace(source.BlobPrefix))
            {
                problems.Add("every source needs a name and a blobPrefix");
            }

            foreach (var duplicate in source.Columns.GroupBy(c => c.Value).Where(g => g.Count() > 1))
            {
                problems.Add($"source '{source.Name}' maps {string.Join(" and ", duplicate.Select(c => c.Key))} to the same field {duplicate.Key}");
            }
        }

        return problems.Count == 0 ? profiles : throw new InvalidDataException($"{sourceName}: {string.Join("; ", problems)}.");
    }

    /// <summary>The profile whose prefix the blob name starts with (the longest), else an incremental source named after
    /// the blob's folder (<c>site-bj01/ae.csv</c> → <c>site-bj01</c>; a file at the top → <c>inbox</c>).</summary>
    public SourceProfile For(string blobName)
    {
        ArgumentNullException.ThrowIfNull(blobName);
        var match = Sources.Where(s => blobName.StartsWith(s.BlobPrefix, StringComparison.Ordinal)).MaxBy(s => s.BlobPrefix.Length);
        if (match is not null)
        {
            return match;
        }

        var slash = blobName.IndexOf('/', StringComparison.Ordinal);
        return slash > 0
            ? new SourceProfile { Name = blobName[..slash], BlobPrefix = blobName[..(slash + 1)] }
            : new SourceProfile { Name = "inbox", BlobPrefix = "" };
    }
}
