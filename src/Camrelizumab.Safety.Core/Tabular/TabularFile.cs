using Camrelizumab.Safety.Core.Text;

namespace Camrelizumab.Safety.Core.Tabular;

/// <summary>Opens a dropped file with the reader its content calls for, whatever its name says.</summary>
/// <remarks>
/// The first bytes decide: the SAS XPORT library header, a ZIP signature (XLSX), a JSON object (Dataset-JSON; NDJSON when
/// the metadata object ends on the first line), an XML declaration or element (ODM-XML); anything else is read as
/// delimited text. The stream must be seekable, because sniffing reads ahead and rewinds.
/// </remarks>
public static class TabularFile
{
    /// <summary>Opens <paramref name="stream"/>; the reader owns and disposes it.</summary>
    /// <param name="sheet">For XLSX, the sheet to read; the first sheet when null.</param>
    public static TabularReader Open(Stream stream, string fileName, string? sheet = null, CsvLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
        {
            throw new ArgumentException("The stream must be seekable.", nameof(stream));
        }

        // One look at the first 64 KiB decides the format, and for JSON whether line 1 is a whole metadata object (NDJSON).
        var start = stream.Position;
        var buffer = new byte[64 * 1024];
        var head = buffer.AsSpan(0, stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false));
        stream.Position = start;

        if (XptReader.LooksLikeXpt(head))
        {
            return XptReader.Open(stream);
        }

        if (head.StartsWith("PK\u0003\u0004"u8))
        {
            return XlsxReader.Open(stream, sheet);
        }

        var text = head.StartsWith("\uFEFF"u8) ? head[3..] : head;
        var utf16Xml = head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, (byte)'<', 0]) || head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF, 0, (byte)'<']);
        text = text.TrimStart(" \t\r\n"u8);
        if (text.StartsWith("{"u8))
        {
            var ndjson = fileName.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase) || LooksLikeNdjson(head);
            return DatasetJsonReader.Open(stream, ndjson);
        }

        // XML saved as UTF-16 (with the byte-order mark XML requires of it) is decoded by the XML reader itself.
        if (text.StartsWith("<"u8) || utf16Xml)
        {
            return OdmXmlReader.Open(stream);
        }

        return CsvTableReader.Open(stream, limits);
    }

    /// <summary>NDJSON's first line is a whole JSON object followed by a row array; Dataset-JSON's first line ends inside
    /// its object or holds all of it.</summary>
    private static bool LooksLikeNdjson(ReadOnlySpan<byte> head)
    {
        var newline = head.IndexOf((byte)'\n');
        return newline >= 0 && head[(newline + 1)..].TrimStart(" \t\r\n"u8).StartsWith("["u8);
    }
}
