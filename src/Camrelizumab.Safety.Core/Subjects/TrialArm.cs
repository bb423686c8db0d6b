namespace Camrelizumab.Safety.Core.Subjects;

/// <summary>A randomized arm: its code in storage and reports, its label, and the spellings exports use for it.</summary>
public sealed record TrialArm
{
    public required string Code { get; init; }

    public required string Label { get; init; }

    public IReadOnlyList<string> Aliases { get; init; } = [];

    public bool Matches(string text) =>
        string.Equals(text.Trim(), Code, StringComparison.OrdinalIgnoreCase)
        || string.Equals(text.Trim(), Label, StringComparison.OrdinalIgnoreCase)
        || Aliases.Any(a => string.Equals(text.Trim(), a, StringComparison.OrdinalIgnoreCase));
}
