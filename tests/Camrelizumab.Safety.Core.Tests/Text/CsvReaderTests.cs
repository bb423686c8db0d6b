using Camrelizumab.Safety.Core.Text;

namespace Camrelizumab.Safety.Core.Tests.Text;

public sealed class CsvReaderTests
{
    private static List<(long Line, string[] Fields)> ReadAll(string text, char? delimiter = null, CsvLimits? limits = null)
    {
        var reader = new CsvReader(new StringReader(text), delimiter, limits);
        var rows = new List<(long, string[])>();
        while (reader.TryRead(out var fields))
        {
            rows.Add((reader.RecordLine, [.. fields]));
        }

        return rows;
    }

    [Fact]
    public void TryRead_QuotedFieldWithEmbeddedNewlineAndQuotes_KeepsTextAndPhysicalLines()
    {
        var rows = ReadAll("a,b\r\n\"x, \"\"quoted\"\"\nsecond line\",2\r\nlast,3\r\n");

        Assert.Equal(3, rows.Count);
        Assert.Equal(["x, \"quoted\"\nsecond line", "2"], rows[1].Fields);
        Assert.Equal(2, rows[1].Line);
        Assert.Equal(4, rows[2].Line);
    }

    [Theory]
    [InlineData("a;b;c\n1;2;3\n", ';')]
    [InlineData("a\tb\tc\n1\t2\t3\n", '\t')]
    [InlineData("a|b|c\n1|2|3\n", '|')]
    [InlineData("a,b,c\n1,2,3\n", ',')]
    [InlineData("\"x;y\",b,c\n1,2,3\n", ',')]
    public void Constructor_SniffsDelimiterFromHeader(string text, char expected)
    {
        var reader = new CsvReader(new StringReader(text));

        Assert.Equal(expected, reader.Delimiter);
        Assert.True(reader.TryRead(out var header));
        Assert.Equal(3, header.Count);
    }

    [Fact]
    public void TryRead_SkipsByteOrderMarkAndBlankLines()
    {
        var rows = ReadAll("\uFEFFa,b\n\n1,2\n\r\n3,4");

        Assert.Equal(["a", "b"], rows[0].Fields);
        Assert.Equal([(3L, new[] { "1", "2" }), (5L, new[] { "3", "4" })], rows.Skip(1).Select(r => (r.Line, r.Fields)));
    }

    [Fact]
    public void TryRead_EmptyFieldsAndTrailingDelimiter()
    {
        var rows = ReadAll("a,b,c\n,,\n1,,3\n");

        Assert.Equal(["", "", ""], rows[1].Fields);
        Assert.Equal(["1", "", "3"], rows[2].Fields);
    }

    [Fact]
    public void TryRead_UnterminatedQuote_ThrowsWithLine()
    {
        var ex = Assert.Throws<ExportFormatException>(() => ReadAll("a,b\n1,2\n3,\"never closed\n4,5\n"));

        Assert.Equal("unterminated-quote", ex.ReasonCode);
        Assert.Equal(3, ex.Line);
    }

    [Fact]
    public void TryRead_AbsurdFieldLength_ThrowsInsteadOfExhaustingMemory()
    {
        var ex = Assert.Throws<ExportFormatException>(() => ReadAll("a,b\n1," + new string('x', 200) + "\n", limits: new CsvLimits(100, 1000, 10)));

        Assert.Equal("field-too-long", ex.ReasonCode);
        Assert.Equal(2, ex.Line);
    }

    [Fact]
    public void TryRead_LongRecordAcrossBufferBoundary_IsReadWhole()
    {
        var longValue = new string('y', 100_000);

        var rows = ReadAll($"a,b\n\"{longValue}\",z\n", limits: new CsvLimits(200_000, 1_000_000, 10));

        Assert.Equal(longValue, rows[1].Fields[0]);
        Assert.Equal("z", rows[1].Fields[1]);
    }

    [Theory]
    // A quoted field over the limit, the limit crossed inside one run of text and inside a doubled quote.
    [InlineData("a,b\n1,\"" + "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" + "\"\n", "field-too-long")]
    [InlineData("a,b\n1,\"" + "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" + "\"\n", "field-too-long")]
    // A record over the limit, its fields each within theirs.
    [InlineData("a,b\n\"" + "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" + "\",\"" + "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" + "\"\n", "line-too-long")]
    public void TryRead_QuotedFieldOverALimit_Throws(string text, string reason)
    {
        var ex = Assert.Throws<ExportFormatException>(() => ReadAll(text, limits: new CsvLimits(100, 150, 10)));

        Assert.Equal(reason, ex.ReasonCode);
        Assert.Equal(2, ex.Line);
    }

    [Fact]
    public void TryReadRecord_GivesEveryFieldAsWritten_AcrossBufferBoundaries()
    {
        // Arrange: 8,000 records of quoted and unquoted fields with delimiters, doubled quotes, CR, LF and CRLF inside
        // quotes, empty fields, text after a closing quote, and quotes inside an unquoted field (kept as written): well
        // over one 64 K buffer.
        var random = new Random(16);
        string[] pieces = ["plain", "", "with, comma", "say \"hi\"", "two\nlines", "cr\rhere", "crlf\r\nthere", "放射性食管炎", " padded "];
        var text = new System.Text.StringBuilder("a,b,c,d\r\n");
        var written = new List<(long Line, string Fields)>();
        long line = 2;
        for (var i = 0; i < 8_000; i++)
        {
            var fields = new List<string>();
            var start = line;
            for (var f = 0; f < 4; f++)
            {
                var piece = pieces[random.Next(pieces.Length)];
                var quoted = piece.AsSpan().IndexOfAny(",\r\n") >= 0 || random.Next(3) == 0;
                var tail = quoted && random.Next(20) == 0 ? "tail" : "";
                text.Append(quoted ? "\"" + piece.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" + tail : piece);
                fields.Add(piece + tail);
                line += piece.Replace("\r\n", "\n", StringComparison.Ordinal).Count(c => c is '\r' or '\n');
                text.Append(f < 3 ? "," : random.Next(3) switch { 0 => "\n", 1 => "\r\n", _ => "\r" });
            }

            line++;
            written.Add((start, string.Join("|", fields)));
        }

        var reader = new CsvReader(new StringReader(text.ToString()));
        Assert.True(reader.TryReadRecord());
        var read = new List<(long Line, string Fields)>();

        // Act
        while (reader.TryReadRecord())
        {
            read.Add((reader.RecordLine, string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.Field(i).ToString()))));
        }

        // Assert
        Assert.True(text.Length > 3 * 64 * 1024);
        Assert.Equal(written, read);
        Assert.Equal(written, ReadAll(text.ToString()).Skip(1).Select(r => (r.Line, string.Join("|", r.Fields))));
    }
}
