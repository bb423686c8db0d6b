using System.Globalization;
using System.Text;

namespace Camrelizumab.Safety.Core.Text;

/// <summary>
/// Subject and AE identifiers as a site typed them, made comparable: a roster and an AE export must agree on
/// <c>S04-0052</c> even when one of them was pasted from a word processor. A look-alike that cannot be mapped safely
/// is refused with the character named, never stored under an id that no roster row will ever match.
/// </summary>
/// <remarks>
/// Safe: full-width ASCII (<c>Ｓ０４</c> becomes <c>S04</c>; the compatibility mapping of Unicode NFKC, done by hand
/// because the app runs with invariant globalization, where .NET does not normalize), the dash and hyphen variants
/// (U+2010–U+2015, minus sign, small hyphen-minus) become '-', and zero-width characters and the soft hyphen, which
/// no one can see, are removed. Refused: any other format or control character (bidirectional overrides and isolates such as
/// U+202E, which reorder what a reader sees), U+FFFD (a byte the file's encoding could not decode), and line or
/// paragraph separators.
/// </remarks>
public static class IdentifierText
{
    /// <summary>
    /// The identifier to store (trimmed and normalized), or <c>null</c> with <paramref name="problem"/> naming the first
    /// character that cannot be stored safely.
    /// </summary>
    public static string? Normalize(string raw, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(raw);
        problem = null;
        var text = raw.Trim();
        if (text.Length == 0 || IsPlain(text))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsInvisible(rune))
            {
                continue;
            }

            if (IsDash(rune))
            {
                builder.Append('-');
                continue;
            }

            if (rune.Value is >= 0xFF01 and <= 0xFF5E)
            {
                // Full-width ASCII (an IME left in full-width mode): U+FF21 'Ａ' is 'A'.
                builder.Append((char)(rune.Value - 0xFEE0));
                continue;
            }

            if (rune.Value == 0xFFFD || Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format
                or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate
                or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned)
            {
                problem = string.Create(CultureInfo.InvariantCulture, $"it contains {Describe(rune)}, which cannot be part of an identifier");
                return null;
            }

            builder.Append(rune.ToString());
        }

        return builder.ToString().Trim();
    }

    /// <summary>Printable ASCII: nothing to normalize (the common case, checked without allocating).</summary>
    private static bool IsPlain(string text) => !text.AsSpan().ContainsAnyExceptInRange(' ', '~');

    private static bool IsInvisible(Rune rune) => rune.Value is 0x200B or 0x200C or 0x200D or 0x2060 or 0xFEFF or 0x00AD;

    private static bool IsDash(Rune rune) => rune.Value is (>= 0x2010 and <= 0x2015) or 0x2212 or 0xFE58 or 0xFE63;

    /// <summary>U+202E, with the names a data manager is most likely to meet.</summary>
    private static string Describe(Rune rune)
    {
        var name = rune.Value switch
        {
            0x202A => " LEFT-TO-RIGHT EMBEDDING",
            0x202B => " RIGHT-TO-LEFT EMBEDDING",
            0x202C => " POP DIRECTIONAL FORMATTING",
            0x202D => " LEFT-TO-RIGHT OVERRIDE",
            0x202E => " RIGHT-TO-LEFT OVERRIDE",
            0x2066 => " LEFT-TO-RIGHT ISOLATE",
            0x2067 => " RIGHT-TO-LEFT ISOLATE",
            0x2068 => " FIRST STRONG ISOLATE",
            0x2069 => " POP DIRECTIONAL ISOLATE",
            0x200E => " LEFT-TO-RIGHT MARK",
            0x200F => " RIGHT-TO-LEFT MARK",
            0xFFFD => " REPLACEMENT CHARACTER (an undecodable byte)",
            0x0000 => " NULL",
            _ => "",
        };
        return string.Create(CultureInfo.InvariantCulture, $"U+{rune.Value:X4}{name}");
    }
}
