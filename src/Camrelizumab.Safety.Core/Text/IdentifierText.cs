using System.Globalization;
using System.Text;

namespace Camrelizumab.Safety.Core.Text;

/// <summary>
/// Subject and AE identifiers as a site typed them, made comparable: a roster and an AE export must agree on
/// <c>S04-0052</c> even when one of them was pasted from a word processor. Only an identifier that is not known (a byte
/// the encoding could not decode, a private-use or unassigned character) is refused, with the character named: the
/// row then cannot identify its subject.
/// </summary>
/// <remarks>
/// Safe: full-width ASCII (<c>Ｓ０４</c> becomes <c>S04</c>; the compatibility mapping of Unicode NFKC, done by hand
/// because the app runs with invariant globalization, where .NET does not normalize), the dash and hyphen variants
/// (U+2010–U+2015, minus sign, small hyphen-minus) become '-', and characters that are not part of the text a reader
/// means are removed: zero-width characters, the soft hyphen, other format characters (bidirectional overrides and
/// isolates such as U+202E, which reorder what a reader sees but not the stored characters), control characters and
/// line or paragraph separators. The caller keeps the raw value in a query, so a data manager sees what was removed.
/// Refused: U+FFFD (a byte the file's encoding could not decode), lone surrogates, private-use and unassigned characters.
/// </remarks>
internal static class IdentifierText
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

            if (rune.Value == 0xFFFD || Rune.GetUnicodeCategory(rune) is UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned)
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

    private static bool IsInvisible(Rune rune) =>
        rune.Value != 0xFFFD && Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format or UnicodeCategory.Control
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;

    private static bool IsDash(Rune rune) => rune.Value is (>= 0x2010 and <= 0x2015) or 0x2212 or 0xFE58 or 0xFE63;

    /// <summary>"U+E000", or "U+FFFD REPLACEMENT CHARACTER (an undecodable byte)".</summary>
    private static string Describe(Rune rune)
    {
        var name = rune.Value == 0xFFFD ? " REPLACEMENT CHARACTER (an undecodable byte)" : "";
        return string.Create(CultureInfo.InvariantCulture, $"U+{rune.Value:X4}{name}");
    }
}
