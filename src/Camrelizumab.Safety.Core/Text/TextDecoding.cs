using System.Text;

namespace Camrelizumab.Safety.Core.Text;

/// <summary>
/// Tells which encoding an export uses: a byte-order mark (UTF-8, UTF-16 LE/BE) decides; otherwise strict UTF-8, then
/// GB18030 (a superset of GBK and GB2312, common at Chinese sites) when it decodes cleanly to Chinese text, then
/// Windows-1252. .NET decodes every byte as Windows-1252, so the last resort always reads; a UTF-16 file with a broken
/// surrogate fails while it is read, and ingest reports it as undecodable.
/// </summary>
public static class TextDecoding
{
    private static readonly Encoding Utf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);

    static TextDecoding() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Detects the encoding of a seekable stream, leaving it at position 0.</summary>
    public static (Encoding Encoding, string Name) Detect(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Position = 0;
        Span<byte> bom = stackalloc byte[3];
        var read = stream.ReadAtLeast(bom, 3, throwOnEndOfStream: false);
        stream.Position = 0;
        if (read >= 3 && bom[0] == 0xEF && bom[1] == 0xBB && bom[2] == 0xBF)
        {
            return (Utf8, "utf-8 (BOM)");
        }

        if (read >= 2 && bom[0] == 0xFF && bom[1] == 0xFE)
        {
            return (new UnicodeEncoding(false, true, true), "utf-16le (BOM)");
        }

        if (read >= 2 && bom[0] == 0xFE && bom[1] == 0xFF)
        {
            return (new UnicodeEncoding(true, true, true), "utf-16be (BOM)");
        }

        // Short GB18030 text can also be valid UTF-8 by accident (贫血 is C6 B6 D1 AA: "ƶѪ" in UTF-8). Real UTF-8
        // exports do not contain Latin Extended, Cyrillic or other scripts between U+0100 and U+1FFF (Greek aside), so
        // such a decoding loses to GB18030 when GB18030 gives Chinese.
        var gb18030 = Encoding.GetEncoding(54936, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        if (IsUtf8(stream, out var implausible) && (!implausible || !(DecodesCleanly(stream, gb18030, out var cjk, out _) && cjk)))
        {
            return (Utf8, "utf-8");
        }

        if (DecodesCleanly(stream, gb18030, out var chinese, out _) && chinese)
        {
            return (gb18030, "gb18030");
        }

        var windows1252 = Encoding.GetEncoding(1252, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        if (DecodesCleanly(stream, windows1252, out _, out _))
        {
            return (windows1252, "windows-1252");
        }

        throw new ExportFormatException("undecodable-text", "The file is not valid UTF-8, UTF-16 (with a byte-order mark), GB18030 or Windows-1252 text.");
    }

    private static bool DecodesCleanly(Stream stream, Encoding encoding, out bool hasChinese, out bool hasImplausible)
    {
        hasChinese = false;
        hasImplausible = false;
        stream.Position = 0;
        var decoder = encoding.GetDecoder();
        var bytes = new byte[64 * 1024];
        var chars = new char[encoding.GetMaxCharCount(bytes.Length)];
        try
        {
            int read;
            while ((read = stream.Read(bytes, 0, bytes.Length)) > 0)
            {
                var count = decoder.GetChars(bytes, 0, read, chars, 0, flush: false);
                for (var i = 0; i < count; i++)
                {
                    hasChinese |= chars[i] is >= '\u4E00' and <= '\u9FFF';
                    hasImplausible |= chars[i] is >= '\u0100' and < '\u2000' and not (>= '\u0370' and <= '\u03FF');
                }
            }

            decoder.GetChars([], 0, 0, chars, 0, flush: true);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
        finally
        {
            stream.Position = 0;
        }
    }

    /// <summary>
    /// Strict UTF-8 validation of the whole stream without decoding it (vectorized), noting whether any character falls
    /// in U+0100–U+1FFF outside Greek: the same answer as decoding and looking at every character, at memory speed.
    /// </summary>
    private static bool IsUtf8(Stream stream, out bool implausible)
    {
        implausible = false;
        stream.Position = 0;
        var buffer = new byte[1024 * 1024];
        var carry = 0;
        try
        {
            while (true)
            {
                var read = stream.Read(buffer, carry, buffer.Length - carry);
                var length = carry + read;
                var final = read == 0;
                var cut = final ? length : CompleteUpTo(buffer.AsSpan(0, length));
                var chunk = buffer.AsSpan(0, cut);
                if (!System.Text.Unicode.Utf8.IsValid(chunk))
                {
                    return false;
                }

                implausible |= HasImplausible(chunk);
                if (final)
                {
                    return true;
                }

                carry = length - cut;
                buffer.AsSpan(cut, carry).CopyTo(buffer);
            }
        }
        finally
        {
            stream.Position = 0;
        }
    }

    /// <summary>Where the last complete UTF-8 sequence of the buffer ends (a sequence cut by the buffer's end waits).</summary>
    private static int CompleteUpTo(ReadOnlySpan<byte> bytes)
    {
        var i = bytes.Length - 1;
        for (var back = 0; back < 3 && i > 0 && (bytes[i] & 0xC0) == 0x80; back++)
        {
            i--;
        }

        if (i < 0 || bytes[i] < 0xC0)
        {
            return bytes.Length;
        }

        var needed = bytes[i] >= 0xF0 ? 4 : bytes[i] >= 0xE0 ? 3 : 2;
        return bytes.Length - i >= needed ? bytes.Length : i;
    }

    /// <summary>
    /// Lead bytes C4–DF encode U+0100–U+07FF, E0 (with A0–BF next) U+0800–U+0FFF and E1 U+1000–U+1FFF; Greek
    /// (U+0370–U+03FF) is plausible. Continuation bytes never fall in C4–E1, so every hit is a lead byte.
    /// </summary>
    private static bool HasImplausible(ReadOnlySpan<byte> valid)
    {
        var at = 0;
        while (true)
        {
            var hit = valid[at..].IndexOfAnyInRange((byte)0xC4, (byte)0xE1);
            if (hit < 0)
            {
                return false;
            }

            at += hit;
            var lead = valid[at];
            if (lead >= 0xE0 || at + 1 >= valid.Length)
            {
                return true;
            }

            var codePoint = ((lead & 0x1F) << 6) | (valid[at + 1] & 0x3F);
            if (codePoint is < 0x370 or > 0x3FF)
            {
                return true;
            }

            at += 2;
        }
    }
}
