using System.Text;

namespace Camrelizumab.Safety.Core.Text;

/// <summary>Repairs UTF-8 text that was decoded as Windows-1252 somewhere upstream (mojibake such as "â‰¥" for "≥").</summary>
internal static class TextRepair
{
    private static readonly Encoding Windows1252 = CodePagesEncodingProvider.Instance.GetEncoding(1252)
        ?? throw new InvalidOperationException("Code page 1252 is not available.");

    private static readonly Encoding StrictUtf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);

    /// <summary>The repaired text when it was mojibake, else the text unchanged.</summary>
    public static string Mojibake(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!LooksLikeMojibake(text))
        {
            return text;
        }

        try
        {
            var repaired = StrictUtf8.GetString(Windows1252.GetBytes(text));
            return LooksLikeMojibake(repaired) ? text : repaired;
        }
        catch (DecoderFallbackException)
        {
            return text;
        }
    }

    /// <summary>UTF-8 lead bytes read as Windows-1252 show up as "Ã", "Â" or "â" followed by another Latin-1 symbol.</summary>
    public static bool LooksLikeMojibake(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (var i = 0; i + 1 < text.Length; i++)
        {
            if (text[i] is 'Ã' or 'Â' or 'â' or 'ä' or 'å' or 'æ' or 'ç' or 'è' or 'é' && text[i + 1] is (>= '\u0080' and <= '\u00BF') or '€' or '‰' or '™' or '‚' or 'œ' or 'ž' or 'Ÿ' or '“' or '”' or '˜')
            {
                return true;
            }
        }

        return false;
    }
}
