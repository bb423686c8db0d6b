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

    /// <summary>A yes/no or relatedness answer; <c>null</c> when empty or not a word of the vocabulary.</summary>
    public static bool? Flag(string? text) => text?.Trim().ToUpperInvariant() switch
    {
        "Y" or "YES" or "TRUE" or "1" or "RELATED" or "DEFINITE" or "DEFINITELY RELATED" or "PROBABLE" or "PROBABLY RELATED"
            or "POSSIBLE" or "POSSIBLY RELATED" => true,
        "N" or "NO" or "FALSE" or "0" or "NOT RELATED" or "UNRELATED" or "UNLIKELY" or "UNLIKELY RELATED" or "NONE" or "REMOTE"
            or "NOT SUSPECTED" => false,
        _ => null,
    };

    /// <summary>DM's arm for a screen failure or a subject never assigned (CDISC ARM/ARMCD values).</summary>
    public static bool IsNotAnArm(string arm) =>
        arm.Equals("Screen Failure", StringComparison.OrdinalIgnoreCase) || arm.Equals("SCRNFAIL", StringComparison.OrdinalIgnoreCase)
        || arm.Equals("Not Assigned", StringComparison.OrdinalIgnoreCase) || arm.Equals("NOTASSGN", StringComparison.OrdinalIgnoreCase);
}
