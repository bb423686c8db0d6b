using System.Text.Json.Serialization;
using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Core.Text;

namespace Camrelizumab.Safety.Core.AdverseEvents;

/// <summary>The reviewed AESI categories (<c>config/aesi.json</c>), validated against CTCAE v5.0 at load.</summary>
public sealed record AesiConfiguration
{
    private const string EmbeddedResource = "Camrelizumab.Safety.Core.aesi.json";

    private static readonly Lazy<AesiConfiguration> Defaults = new(() =>
    {
        using var stream = EmbeddedConfiguration.Open(EmbeddedResource);
        return Load(stream, "aesi.json (embedded)");
    });

    public required string Version { get; init; }

    public required string Status { get; init; }

    public required IReadOnlyList<AesiCategory> Categories { get; init; }

    [JsonIgnore]
    public string ContentSha256 { get; private init; } = "";

    public static AesiConfiguration LoadDefaults() => Defaults.Value;

    public static AesiConfiguration Load(Stream stream, string sourceName)
    {
        var (configuration, _, sha256) = EmbeddedConfiguration.Read<AesiConfiguration>(stream, sourceName);
        var errors = new List<string>();
        foreach (var category in configuration.Categories)
        {
            foreach (var term in category.Terms.Where(t => CtcaeDictionary.V5.Find(t)?.Name != t))
            {
                errors.Add($"categories[{category.Id}].terms: '{term}' is not a CTCAE v5.0 term as NCI spells it.");
            }

            if (category.Group is not ("camrelizumab" or "immune-related" or "radiation-related"))
            {
                errors.Add($"categories[{category.Id}].group: '{category.Group}' is not camrelizumab, immune-related or radiation-related.");
            }
        }

        foreach (var duplicate in configuration.Categories.GroupBy(c => c.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add($"categories[{duplicate.Key}].id: defined {duplicate.Count()} times.");
        }

        if (errors.Count > 0)
        {
            throw new InvalidDataException($"{sourceName} has {errors.Count} error(s):{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors));
        }

        return configuration with { ContentSha256 = sha256 };
    }

    /// <summary>The categories an event belongs to.</summary>
    public IEnumerable<AesiCategory> Classify(AdverseEvent adverseEvent) => Categories.Where(c => c.Includes(adverseEvent));
}
