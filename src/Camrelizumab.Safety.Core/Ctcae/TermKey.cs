using System.Text;

namespace Camrelizumab.Safety.Core.Ctcae;

/// <summary>
/// The comparison key for term text: case, spacing and punctuation do not matter, so "ALT increased",
/// "alt  increased" and "ALT-increased" share a key, while letters and digits must match exactly.
/// </summary>
internal static class TermKey
{
    public static string Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var rune in text.Normalize(NormalizationForm.FormKC).EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune))
            {
                if (pendingSpace && builder.Length > 0)
                {
                    builder.Append(' ');
                }

                pendingSpace = false;
                builder.Append(Rune.ToLowerInvariant(rune).ToString());
            }
            else
            {
                pendingSpace = true;
            }
        }

        return builder.ToString();
    }
}
