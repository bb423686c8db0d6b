using System.Text;
using Camrelizumab.Safety.Core.Ctcae;

namespace Camrelizumab.Safety.Core.Ingest;

/// <summary>How export cells are read, the same for ingest and for offline summaries: header names, severity, Y/N and
/// relatedness vocabularies, and the arm values that are not an arm.</summary>
internal static class ExportValues
{
    /// <summary>A header name without case, spaces or punctuation (<c>Subject ID</c> → <c>subjectid</c>).</summary>
    public static string NormalizeHeader(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.ToString();
    }

    /// <summary>Severity-only exports (SDTM AESEV): mild 1, moderate 2, severe 3, life-threatening 4, fatal 5.</summary>
    public static CtcaeGrade? SeverityGrade(string? text) => text?.Trim().ToUpperInvariant() switch
    {
        "MILD" or "1" => new CtcaeGrade(1),
        "MODERATE" or "2" => new CtcaeGrade(2),
        "SEVERE" or "3" => new CtcaeGrade(3),
        "LIFE THREATENING" or "LIFE-THREATENING" or "4" => new CtcaeGrade(4),
        "FATAL" or "DEATH" or "5" => new CtcaeGrade(5),
        _ => null,
    };

    /// <summary>The yes/no and relatedness vocabulary, the commonest answers first: compared in any case without
    /// allocating, since a million-row export asks several times a row.</summary>
    private static readonly (string Word, bool Value)[] FlagWords =
    [
        ("Y", true), ("N", false), ("YES", true), ("NO", false), ("TRUE", true), ("FALSE", false), ("1", true), ("0", false),
        ("RELATED", true), ("DEFINITE", true), ("DEFINITELY RELATED", true), ("PROBABLE", true), ("PROBABLY RELATED", true),
        ("POSSIBLE", true), ("POSSIBLY RELATED", true), ("NOT RELATED", false), ("UNRELATED", false), ("UNLIKELY", false),
        ("UNLIKELY RELATED", false), ("NONE", false), ("REMOTE", false), ("NOT SUSPECTED", false),
    ];

    /// <summary>A yes/no or relatedness answer; <c>null</c> when empty or not a word of the vocabulary.</summary>
    public static bool? Flag(string? text)
    {
        var answer = text.AsSpan().Trim();
        if (answer.IsEmpty)
        {
            return null;
        }

        foreach (var (word, value) in FlagWords)
        {
            if (answer.Equals(word, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>DM's arm for a screen failure or a subject never assigned (CDISC ARM/ARMCD values).</summary>
    public static bool IsNotAnArm(string arm) =>
        arm.Equals("Screen Failure", StringComparison.OrdinalIgnoreCase) || arm.Equals("SCRNFAIL", StringComparison.OrdinalIgnoreCase)
        || arm.Equals("Not Assigned", StringComparison.OrdinalIgnoreCase) || arm.Equals("NOTASSGN", StringComparison.OrdinalIgnoreCase);
}
