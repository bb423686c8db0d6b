using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Camrelizumab.Safety.Core.AdverseEvents;
using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Core.Subjects;
using Camrelizumab.Safety.Core.Text;

namespace Camrelizumab.Safety.Core.Stopping;

/// <summary>
/// The reviewed, versioned safety configuration: study, arms and stopping rules (<c>config/safety-rules.json</c>).
/// Loaded and validated at start-up; any error stops the pipeline with a message naming the rule and field.
/// </summary>
public sealed partial record SafetyRules
{
    private const string EmbeddedResource = "Camrelizumab.Safety.Core.safety-rules.json";

    public required string Version { get; init; }

    /// <summary>Review status, e.g. "to be confirmed by the trial statistician".</summary>
    public required string Status { get; init; }

    public required string Study { get; init; }

    public required IReadOnlyList<TrialArm> Arms { get; init; }

    public required IReadOnlyList<StoppingRule> Rules { get; init; }

    /// <summary>SHA-256 of the file as read; stored with every evaluation.</summary>
    [JsonIgnore]
    public string ContentSha256 { get; private init; } = "";

    /// <summary>The file's bytes as read, kept so an evaluation can store the exact rules it used.</summary>
    [JsonIgnore]
    public ReadOnlyMemory<byte> Content { get; private init; }

    /// <summary>The trial defaults shipped in this assembly (docs/stopping-rules.md §7).</summary>
    public static SafetyRules LoadDefaults()
    {
        using var stream = EmbeddedConfiguration.Open(EmbeddedResource);
        return Load(stream, "safety-rules.json (embedded defaults)");
    }

    /// <summary>Reads and validates a rules file; throws with every problem found, each naming rule and field.</summary>
    public static SafetyRules Load(Stream stream, string sourceName)
    {
        var (rules, bytes, sha256) = EmbeddedConfiguration.Read<SafetyRules>(stream, sourceName);
        var errors = rules.Validate(CtcaeDictionary.V5);
        if (errors.Count > 0)
        {
            throw new InvalidDataException($"{sourceName} has {errors.Count} error(s):{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors));
        }

        return rules with { ContentSha256 = sha256, Content = bytes };
    }

    public TrialArm? FindArm(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Arms.FirstOrDefault(a => a.Matches(text));
    }

    /// <summary>Every problem in the file, each naming the rule and the field.</summary>
    public IReadOnlyList<string> Validate(CtcaeDictionary dictionary)
    {
        ArgumentNullException.ThrowIfNull(dictionary);
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Version))
        {
            errors.Add("version: required.");
        }

        if (Arms is null || Arms.Count == 0)
        {
            errors.Add("arms: at least one arm is required.");
            return errors;
        }

        foreach (var arm in Arms)
        {
            if (string.IsNullOrWhiteSpace(arm.Code) || !IdentifierPattern().IsMatch(arm.Code))
            {
                errors.Add($"arms[{arm.Code}].code: use letters, digits and hyphens only.");
            }
        }

        foreach (var duplicate in Arms.GroupBy(a => a.Code, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            errors.Add($"arms[{duplicate.Key}].code: defined {duplicate.Count()} times.");
        }

        foreach (var duplicate in (Rules ?? []).GroupBy(r => r.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add($"rules[{duplicate.Key}].id: defined {duplicate.Count()} times.");
        }

        foreach (var rule in Rules ?? [])
        {
            var at = $"rules[{rule.Id}]";
            if (!IdentifierPattern().IsMatch(rule.Id ?? ""))
            {
                errors.Add($"{at}.id: use letters, digits and hyphens only.");
            }

            if (!Arms.Any(a => a.Code == rule.Arm))
            {
                errors.Add($"{at}.arm: '{rule.Arm}' is not one of the arms ({string.Join(", ", Arms.Select(a => a.Code))}).");
            }

            if (rule.MaxPatients is < 1 or > 1000)
            {
                errors.Add($"{at}.maxPatients: {rule.MaxPatients} must be between 1 and 1000.");
            }
            else
            {
                ValidateDesign(rule, at, errors);
            }

            if (rule.Recipients.Count == 0)
            {
                errors.Add($"{at}.recipients: at least one recipient role is required.");
            }

            ValidateEvent(rule.Event, at, dictionary, errors);
        }

        return errors;
    }

    private static void ValidateDesign(StoppingRule rule, string at, List<string> errors)
    {
        BoundaryDesign design;
        try
        {
            design = rule.Design();
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            errors.Add($"{at}.looks: {ex.Message}");
            return;
        }

        if (design.Looks.MaxPatients != rule.MaxPatients)
        {
            errors.Add($"{at}.looks: the last look ({design.Looks.MaxPatients}) must equal maxPatients ({rule.MaxPatients}).");
        }

        if (rule.Prior is { Count: not 2 })
        {
            errors.Add($"{at}.prior: give two numbers [a, b].");
        }

        errors.AddRange(design.Problems().Select(p => $"{at}.{FieldName(p.Field)}: {p.Message}"));
    }

    /// <summary>A design parameter as the rules file spells it: the <see cref="StoppingRule"/> property of the same name.</summary>
    private static string FieldName(BoundaryField field) => JsonNamingPolicy.CamelCase.ConvertName(field.ToString());

    private static void ValidateEvent(EventDefinition? definition, string at, CtcaeDictionary dictionary, List<string> errors)
    {
        if (definition is null)
        {
            errors.Add($"{at}.event: required.");
            return;
        }

        if (definition.MinGrade is < 1 or > 5)
        {
            errors.Add($"{at}.event.minGrade: {definition.MinGrade} is not a CTCAE grade (1-5).");
        }

        if (definition.WindowDays < 1)
        {
            errors.Add($"{at}.event.windowDays: {definition.WindowDays} must be at least 1.");
        }

        foreach (var term in definition.Terms)
        {
            if (dictionary.Find(term) is not { } found || found.Name != term)
            {
                errors.Add($"{at}.event.terms: '{term}' is not a CTCAE v5.0 term as NCI spells it.");
            }
        }

        var categories = AesiConfiguration.LoadDefaults().Categories.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var id in definition.Aesi.Where(a => !categories.Contains(a)))
        {
            errors.Add($"{at}.event.aesi: '{id}' is not an AESI category of config/aesi.json.");
        }

        foreach (var soc in definition.Socs)
        {
            if (!dictionary.Socs.Contains(soc, StringComparer.Ordinal))
            {
                errors.Add($"{at}.event.socs: '{soc}' is not a CTCAE v5.0 system organ class.");
            }
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9-]*$")]
    private static partial Regex IdentifierPattern();
}
