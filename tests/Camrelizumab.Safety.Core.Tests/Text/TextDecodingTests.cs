using System.Text;
using Camrelizumab.Safety.Core.Text;

namespace Camrelizumab.Safety.Core.Tests.Text;

public sealed class TextDecodingTests
{
    private const string Text = "subject_id,verbatim_term\nBJ01-001,贫血 ≥3\n";

    static TextDecodingTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static TheoryData<string, byte[], string> Files => new()
    {
        { "utf-8", Encoding.UTF8.GetBytes(Text), Text },
        { "utf-8 (BOM)", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Text)], Text },
        { "utf-16le (BOM)", [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(Text)], Text },
        { "utf-16be (BOM)", [0xFE, 0xFF, .. Encoding.BigEndianUnicode.GetBytes(Text)], Text },
        { "gb18030", Encoding.GetEncoding(54936).GetBytes("subject_id,verbatim_term\nBJ01-001,贫血\n"), "subject_id,verbatim_term\nBJ01-001,贫血\n" },
        // GBK (code page 936) bytes of common characters are GB18030 bytes too.
        { "gb18030", Encoding.GetEncoding(936).GetBytes("subject_id,verbatim_term\nBJ01-001,放射性食管炎\n"), "subject_id,verbatim_term\nBJ01-001,放射性食管炎\n" },
        { "windows-1252", Encoding.GetEncoding(1252).GetBytes("subject_id,verbatim_term\nBJ01-001,Anémie – grade 3\n"), "subject_id,verbatim_term\nBJ01-001,Anémie – grade 3\n" },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void Detect_ReadsRealBytesInEachEncoding(string expectedName, byte[] bytes, string expectedText)
    {
        using var stream = new MemoryStream(bytes);

        var (encoding, name) = TextDecoding.Detect(stream);
        using var reader = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: true);

        Assert.Equal(expectedName, name);
        Assert.Equal(expectedText, reader.ReadToEnd());
    }

    [Fact]
    public void Detect_Utf16WithALoneSurrogate_FailsWhileReading()
    {
        // FF FE, then "a" and an unpaired high surrogate (D800): not UTF-16 text.
        using var stream = new MemoryStream([0xFF, 0xFE, 0x61, 0x00, 0x00, 0xD8, 0x0A, 0x00]);

        var (encoding, name) = TextDecoding.Detect(stream);
        using var reader = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: true);

        Assert.Equal("utf-16le (BOM)", name);
        Assert.Throws<DecoderFallbackException>(() => reader.ReadToEnd());
    }

    [Fact]
    public void Detect_Utf8WithOneInvalidByte_StaysUtf8_AndReplacesOnlyThatByte()
    {
        // A UTF-8 file of Chinese terms with one stray byte (0xFF) in the last row: read as GB18030, 恶心 would become 鎭跺績.
        var text = "subject_id,verbatim_term\nBJ01-001,恶心\nBJ01-002,呕吐\nBJ01-003,腹泻X\n";
        byte[] bytes = [.. Encoding.UTF8.GetBytes(text[..^2]), 0xFF, .. "\n"u8];
        using var stream = new MemoryStream(bytes);

        var (encoding, name) = TextDecoding.Detect(stream);
        using var reader = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: true);

        Assert.Equal("utf-8 (1 invalid byte sequence replaced with U+FFFD)", name);
        Assert.Equal("subject_id,verbatim_term\nBJ01-001,恶心\nBJ01-002,呕吐\nBJ01-003,腹泻\uFFFD\n", reader.ReadToEnd());
    }

    [Fact]
    public void Detect_GbkWithAFewAccidentallyValidUtf8Pairs_IsStillGb18030()
    {
        // 贫血 in GBK is C6 B6 D1 AA, valid UTF-8 by accident; the other terms are not: the file is GB18030.
        var text = "subject_id,verbatim_term\nBJ01-001,贫血\nBJ01-002,放射性食管炎\nBJ01-003,恶心呕吐\n";
        using var stream = new MemoryStream(Encoding.GetEncoding(936).GetBytes(text));

        var (encoding, name) = TextDecoding.Detect(stream);
        using var reader = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: true);

        Assert.Equal(("gb18030", text), (name, reader.ReadToEnd()));
    }

    [Theory]
    [InlineData(false, "utf-16le (no BOM)")]
    [InlineData(true, "utf-16be (no BOM)")]
    public void Detect_Utf16WithoutBom_IsRecognised(bool bigEndian, string expectedName)
    {
        var text = "subject_id,verbatim_term\nBJ01-001,恶心\nBJ01-002,Rash\n";
        using var stream = new MemoryStream(new UnicodeEncoding(bigEndian, false).GetBytes(text));

        var (encoding, name) = TextDecoding.Detect(stream);
        using var reader = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: false);

        Assert.Equal((expectedName, text), (name, reader.ReadToEnd()));
    }
}
