using System.Text;

namespace Camrelizumab.Safety.Core.Text;

/// <summary>
/// Tells which encoding an export uses: a byte-order mark (UTF-8, UTF-16 LE/BE) decides; then UTF-16 without a mark
/// (ASCII characters leave every other byte zero); otherwise strict UTF-8, then GB18030 (a superset of GBK and GB2312,
/// common at Chinese sites) when it decodes cleanly to Chinese text, then Windows-1252. .NET decodes every byte as
/// Windows-1252, so the last resort always reads; a UTF-16 file with a broken surrogate fails while it is read, and
/// ingest reports it as undecodable.
/// </summary>
/// <remarks>
/// A file that is UTF-8 but for a few bad bytes (an editor that cut a character in two, one pasted Windows-1252 byte)
/// stays UTF-8: reading all of it as GB18030 or Windows-1252 would turn every Chinese term into mojibake (恶心 into
/// 鎭跺績). Its bad bytes become U+FFFD, which ingest queries on the row and column that hold one, and the encoding
/// name says how many were replaced. "Mostly" means at least <see cref="ValidPerInvalid"/> valid multi-byte
/// characters per invalid sequence: GB18030 text happens to form valid UTF-8 for about one character in nine.
/// </remarks>
public static class TextDecoding
{
    /// <summary>Valid multi-byte UTF-8 characters needed per invalid sequence for a file to be read as damaged UTF-8.</summary>
    public const int ValidPerInvalid = 2;

    private static readonly Encoding Utf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);

    /// <summary>UTF-8 that replaces each invalid sequence with U+FFFD instead of failing.</summary>
    private static readonly Encoding Utf8Replacing = new UTF8Encoding(false, throwOnInvalidBytes: false);

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
            var marked = ScanUtf8(stream);
            return marked.Invalid == 0 ? (Utf8, "utf-8 (BOM)") : (Utf8Replacing, $"utf-8 (BOM; {marked.InvalidText})");
        }

        if (read >= 2 && bom[0] == 0xFF && bom[1] == 0xFE)
        {
            return (new UnicodeEncoding(false, true, true), "utf-16le (BOM)");
        }

        if (read >= 2 && bom[0] == 0xFE && bom[1] == 0xFF)
        {
            return (new UnicodeEncoding(true, true, true), "utf-16be (BOM)");
        }

        if (Utf16WithoutMark(stream) is { } utf16)
        {
            return utf16;
        }

        // Short GB18030 text can also be valid UTF-8 by accident (贫血 is C6 B6 D1 AA: "ƶѪ" in UTF-8). Real UTF-8
        // exports do not contain Latin Extended, Cyrillic or other scripts between U+0100 and U+1FFF (Greek aside), so
        // such a decoding loses to GB18030 when GB18030 gives Chinese.
        // GB18030 is made only for a file that is not plain UTF-8: most files never need it.
        static Encoding Gb18030() => Encoding.GetEncoding(54936, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        var scan = ScanUtf8(stream);
        if (scan.Invalid == 0 && (!scan.Implausible || !(DecodesCleanly(stream, Gb18030(), out var cjk, out _) && cjk)))
        {
            return (Utf8, "utf-8");
        }

        if (scan.Invalid > 0 && scan.Multibyte >= ValidPerInvalid * scan.Invalid)
        {
            return (Utf8Replacing, $"utf-8 ({scan.InvalidText})");
        }

        var gb18030 = Gb18030();
        if (DecodesCleanly(stream, gb18030, out var chinese, out _) && chinese)
        {
            return (gb18030, "gb18030");
        }

        var windows1252 = Encoding.GetEncoding(1252, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        if (DecodesCleanly(stream, windows1252, out _, out _))
        {
            return (windows1252, "windows-1252");
        }

        throw new ExportFormatException("undecodable-text", "The file is not valid UTF-8, UTF-16, GB18030 or Windows-1252 text.");
    }

    /// <summary>
    /// UTF-16 without a byte-order mark: in the first 64 KiB, at least 40% of the code units have a zero high byte (the
    /// delimiters, digits and line ends of any export are ASCII) and almost no low byte is zero; it must then decode
    /// cleanly. Otherwise every row would read as control characters.
    /// </summary>
    private static (Encoding Encoding, string Name)? Utf16WithoutMark(Stream stream)
    {
        var sample = new byte[64 * 1024];
        var length = stream.ReadAtLeast(sample, sample.Length, throwOnEndOfStream: false) & ~1;
        stream.Position = 0;
        if (length < 4)
        {
            return null;
        }

        int evenZero = 0, oddZero = 0;
        for (var i = 0; i < length; i += 2)
        {
            evenZero += sample[i] == 0 ? 1 : 0;
            oddZero += sample[i + 1] == 0 ? 1 : 0;
        }

        var units = length / 2;
        bool Mostly(int zeros) => zeros * 10 >= units * 4;
        bool Rarely(int zeros) => zeros * 20 <= units;
        var (bigEndian, name) = Mostly(oddZero) && Rarely(evenZero) ? (false, "utf-16le (no BOM)")
            : Mostly(evenZero) && Rarely(oddZero) ? (true, "utf-16be (no BOM)")
            : (false, null);
        if (name is null)
        {
            return null;
        }

        var encoding = new UnicodeEncoding(bigEndian, byteOrderMark: false, throwOnInvalidBytes: true);
        return DecodesCleanly(stream, encoding, out _, out _) ? (encoding, name) : null;
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
    /// Strict UTF-8 validation of the whole stream without decoding it (vectorized where the bytes are valid): how many
    /// invalid sequences and valid multi-byte characters it holds, and whether any character falls in U+0100–U+1FFF
    /// outside Greek.
    /// </summary>
    private static Utf8Scan ScanUtf8(Stream stream)
    {
        var scan = new Utf8Scan();
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
                if (System.Text.Unicode.Utf8.IsValid(chunk))
                {
                    scan.Implausible |= HasImplausible(chunk);
                    scan.Multibyte += CountLeadBytes(chunk);
                }
                else
                {
                    ScanInvalid(chunk, ref scan);
                }

                if (final)
                {
                    return scan;
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

    /// <summary>The slow path for a chunk that holds an invalid sequence: one character at a time.</summary>
    private static void ScanInvalid(ReadOnlySpan<byte> chunk, ref Utf8Scan scan)
    {
        while (!chunk.IsEmpty)
        {
            var status = System.Text.Rune.DecodeFromUtf8(chunk, out var rune, out var consumed);
            if (status != System.Buffers.OperationStatus.Done)
            {
                scan.Invalid++;
            }
            else if (rune.Value >= 0x80)
            {
                scan.Multibyte++;
                scan.Implausible |= rune.Value is >= 0x100 and < 0x2000 and not (>= 0x370 and <= 0x3FF);
            }

            chunk = chunk[consumed..];
        }
    }

    /// <summary>In valid UTF-8, every byte C2–F4 starts a multi-byte character.</summary>
    private static long CountLeadBytes(ReadOnlySpan<byte> valid)
    {
        var count = 0L;
        int hit;
        while ((hit = valid.IndexOfAnyInRange((byte)0xC2, (byte)0xF4)) >= 0)
        {
            count++;
            valid = valid[(hit + 1)..];
        }

        return count;
    }

    private struct Utf8Scan
    {
        public long Invalid;
        public long Multibyte;
        public bool Implausible;

        public readonly string InvalidText => Invalid == 1
            ? "1 invalid byte sequence replaced with U+FFFD"
            : FormattableString.Invariant($"{Invalid} invalid byte sequences replaced with U+FFFD");
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
