using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Core.Text;

namespace Camrelizumab.Safety.Core.AdverseEvents;

/// <summary>
/// The reference safety information used to screen for SUSAR candidates (<c>config/expected-aes.json</c>): CTCAE terms
/// expected for camrelizumab and for radiotherapy.
/// </summary>
public sealed record ExpectedAdverseEvents
{
    private const string EmbeddedResource = "Camrelizumab.Safety.Core.expected-aes.json";

    private static readonly Lazy<ExpectedAdverseEvents> Defaults = new(() =>
    {
        using var stream = EmbeddedConfiguration.Open(EmbeddedResource);
        return Load(stream, "expected-aes.json (embedded)");
    });

    public required string Version { get; init; }

    public required string Status { get; init; }

    public required IReadOnlyList<string> Camrelizumab { get; init; }

    public required IReadOnlyList<string> Radiotherapy { get; init; }

    public static ExpectedAdverseEvents LoadDefaults() => Defaults.Value;

    public static ExpectedAdverseEvents Load(Stream stream, string sourceName)
    {
        var (expected, _, _) = EmbeddedConfiguration.Read<ExpectedAdverseEvents>(stream, sourceName);
        var unknown = expected.Camrelizumab.Concat(expected.Radiotherapy).Where(t => CtcaeDictionary.V5.Find(t)?.Name != t).ToList();
        return unknown.Count == 0
            ? expected
            : throw new InvalidDataException($"{sourceName}: not CTCAE v5.0 terms as NCI spells them: {string.Join(", ", unknown.Select(t => $"'{t}'"))}.");
    }

    /// <summary>
    /// Whether the event is expected for every treatment it is attributed to. With no attribution reported it must be
    /// expected for one of them; an explicit "not related" to both makes the question moot (not treatment-related).
    /// An event awaiting coding is never expected: its expectedness cannot be assessed.
    /// </summary>
    public bool IsExpected(AdverseEvent adverseEvent)
    {
        ArgumentNullException.ThrowIfNull(adverseEvent);
        if (adverseEvent.Term is null)
        {
            return false;
        }

        var term = adverseEvent.Term.Name;
        var forCamrelizumab = Camrelizumab.Contains(term, StringComparer.Ordinal);
        var forRadiotherapy = Radiotherapy.Contains(term, StringComparer.Ordinal);
        if (adverseEvent.RelatedToCamrelizumab is null && adverseEvent.RelatedToRadiotherapy is null)
        {
            return forCamrelizumab || forRadiotherapy;
        }

        return (adverseEvent.RelatedToCamrelizumab is not true || forCamrelizumab) && (adverseEvent.RelatedToRadiotherapy is not true || forRadiotherapy);
    }
}
