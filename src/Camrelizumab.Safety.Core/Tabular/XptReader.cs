using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Camrelizumab.Safety.Core.Text;

namespace Camrelizumab.Safety.Core.Tabular;

/// <summary>
/// Reads the first member of a SAS transport (XPORT version 5) file, the SDTM/ADaM submission format: 80-byte header
/// records, 140-byte NAMESTR variable descriptors, then fixed-width observations. Written from SAS's published layout
/// (SAS technical support document TS-140, "The record layout of a data set in SAS transport (XPORT) format").
/// </summary>
/// <remarks>
/// Numbers are IBM System/370 hexadecimal floating point, 2 to 8 bytes, converted exactly to the nearest double and
/// written back with the shortest round-trip text ("3", "0.5"). Missing numbers (".", ".A"–".Z", "._") are empty
/// cells. Character values lose their trailing blanks and are read as UTF-8, or Windows-1252 when they are not valid
/// UTF-8. A file that ends inside a header or an observation is refused as truncated.
/// </remarks>
internal sealed class XptReader : TabularReader
{
    private const int RecordLength = 80;
    private static readonly Encoding Strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
    private static readonly Encoding Fallback = CodePagesEncoding();

    private readonly Stream _stream;
    private readonly Variable[] _variables;
    private readonly byte[] _row;
    private readonly string[] _cells;
    private readonly string[] _header;
    private readonly string[] _labels;
    private byte[]? _lookahead;
    private int _lookaheadLength;
    private long _record;
    private bool _done;

    private XptReader(Stream stream, string dataset, string? datasetLabel, Variable[] variables, int rowLength)
    {
        _stream = stream;
        Dataset = dataset;
        DatasetLabel = datasetLabel;
        _variables = variables;
        _row = new byte[rowLength];
        _done = rowLength == 0;
        _cells = new string[variables.Length];
        _header = [.. variables.Select(v => v.Name)];
        _labels = [.. variables.Select(v => v.Label)];
    }

    /// <summary>The member (dataset) name, e.g. AE.</summary>
    public string Dataset { get; }

    public string? DatasetLabel { get; }

    public override IReadOnlyList<string> Header => _header;

    public override IReadOnlyList<string> Labels => _labels;

    public override long RecordNumber => _record;

    public override string Locator => "record";

    public override string Format => "xpt";

    /// <summary>True when the stream starts like a SAS XPORT v5 library.</summary>
    public static bool LooksLikeXpt(ReadOnlySpan<byte> start) => start.StartsWith("HEADER RECORD*******LIBRARY HEADER RECORD!!!!!!!"u8);

    /// <summary>Reads the library and member headers and the variable descriptors.</summary>
    public static XptReader Open(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var record = new byte[RecordLength];

        void Next(string what)
        {
            if (stream.ReadAtLeast(record, RecordLength, throwOnEndOfStream: false) < RecordLength)
            {
                throw new ExportFormatException("truncated-xpt", $"The SAS transport file ends inside the {what}.");
            }
        }

        Next("library header");
        if (!LooksLikeXpt(record))
        {
            throw new ExportFormatException("not-xpt", "The file does not start with a SAS XPORT library header record.");
        }

        Next("library header");
        Next("library header");
        Next("member header");
        if (!record.AsSpan().StartsWith("HEADER RECORD*******MEMBER  HEADER RECORD!!!!!!!"u8))
        {
            throw new ExportFormatException("not-xpt", "The SAS transport file has no member header; version 8/9 (V8XPORT) files are not supported.");
        }

        var namestrLength = int.Parse(Encoding.ASCII.GetString(record, 74, 4), CultureInfo.InvariantCulture);
        if (namestrLength is not (140 or 136))
        {
            throw new ExportFormatException("not-xpt", $"The SAS transport member header gives a descriptor length of {namestrLength}; expected 140.");
        }

        Next("member header");
        Next("member header");
        var dataset = Encoding.ASCII.GetString(record, 8, 8).TrimEnd();
        Next("member header");
        var datasetLabel = Encoding.ASCII.GetString(record, 32, 40).TrimEnd();
        Next("variable header");
        if (!record.AsSpan().StartsWith("HEADER RECORD*******NAMESTR HEADER RECORD!!!!!!!"u8)
            || !int.TryParse(Encoding.ASCII.GetString(record, 54, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count is < 1 or > 9999)
        {
            throw new ExportFormatException("not-xpt", "The SAS transport variable header is malformed.");
        }

        var descriptors = new byte[(count * namestrLength + RecordLength - 1) / RecordLength * RecordLength];
        if (stream.ReadAtLeast(descriptors, descriptors.Length, throwOnEndOfStream: false) < descriptors.Length)
        {
            throw new ExportFormatException("truncated-xpt", "The SAS transport file ends inside the variable descriptors.");
        }

        var variables = new Variable[count];
        var position = 0;
        for (var i = 0; i < count; i++)
        {
            var d = descriptors.AsSpan(i * namestrLength, namestrLength);
            var type = BinaryPrimitives.ReadInt16BigEndian(d);
            var length = BinaryPrimitives.ReadInt16BigEndian(d[4..]);
            var name = Encoding.ASCII.GetString(d.Slice(8, 8)).TrimEnd();
            var label = Decode(d.Slice(16, 40));
            if (type is not (1 or 2) || length < 1 || (type == 1 && length is < 2 or > 8) || name.Length == 0)
            {
                throw new ExportFormatException("not-xpt", $"SAS transport variable {i + 1} ('{name}') has type {type} and length {length}, which XPORT v5 does not allow.");
            }

            variables[i] = new Variable(name, label.Length == 0 ? name : label, type == 1, position, length);
            position += length;
        }

        Next("observation header");
        if (!record.AsSpan().StartsWith("HEADER RECORD*******OBS     HEADER RECORD!!!!!!!"u8))
        {
            throw new ExportFormatException("not-xpt", "The SAS transport observation header is missing.");
        }

        return new XptReader(stream, dataset, datasetLabel.Length == 0 ? null : datasetLabel, variables, ObservationLength(stream, position));
    }

    /// <summary>
    /// The bytes of one observation, checked against what is left of the file before a buffer that size is allocated:
    /// the header may declare 9,999 variables of 32,767 bytes (a 328 MB observation) over a file of a few kilobytes.
    /// Returns 0 when only blank padding follows (a dataset with no observations); throws when the file is too short to
    /// hold even one observation.
    /// </summary>
    private static int ObservationLength(Stream stream, long declared)
    {
        var left = stream.CanSeek ? stream.Length - stream.Position : long.MaxValue;
        if (declared <= left)
        {
            return (int)declared;
        }

        var chunk = new byte[RecordLength];
        int read;
        var padding = true;
        while (padding && (read = stream.ReadAtLeast(chunk, chunk.Length, throwOnEndOfStream: false)) > 0)
        {
            padding = IsPadding(chunk.AsSpan(0, read));
        }

        if (padding)
        {
            return 0;
        }

        throw new ExportFormatException("truncated-xpt", FormattableString.Invariant($"The SAS transport file declares observations of {declared:N0} bytes, but only {left:N0} bytes follow its headers."), 1);
    }

    public override bool TryRead(out IReadOnlyList<string> cells)
    {
        cells = _cells;
        if (_done)
        {
            return false;
        }

        int read;
        if (_lookahead is { } pending)
        {
            pending.CopyTo(_row, 0);
            read = _lookaheadLength;
            _lookahead = null;
        }
        else
        {
            read = _stream.ReadAtLeast(_row, _row.Length, throwOnEndOfStream: false);
        }

        if (read == 0 || (read < _row.Length && IsPadding(_row.AsSpan(0, read))))
        {
            _done = true;
            return false;
        }

        if (read < _row.Length)
        {
            throw new ExportFormatException("truncated-xpt", FormattableString.Invariant($"The SAS transport file ends inside record {_record + 1}: {read} of {_row.Length} bytes."));
        }

        // The last 80-byte block is padded with blanks, so an all-blank observation is data only if something follows.
        if (IsPadding(_row))
        {
            var next = new byte[_row.Length];
            _lookaheadLength = _stream.ReadAtLeast(next, next.Length, throwOnEndOfStream: false);
            if (IsPadding(next.AsSpan(0, _lookaheadLength)))
            {
                _done = true;
                return false;
            }

            _lookahead = next;
        }

        if (_row.AsSpan().StartsWith("HEADER RECORD*******MEMBER  HEADER RECORD!!!!!!!"u8))
        {
            // A second member follows; this reader reads the first only.
            _done = true;
            return false;
        }

        _record++;
        for (var i = 0; i < _variables.Length; i++)
        {
            var v = _variables[i];
            var bytes = _row.AsSpan(v.Position, v.Length);
            _cells[i] = v.Numeric ? FormatNumber(bytes) : Decode(bytes);
        }

        return true;
    }

    private static bool IsPadding(ReadOnlySpan<byte> bytes) => !bytes.ContainsAnyExcept((byte)' ');

    /// <summary>IBM hexadecimal floating point: sign bit, 7-bit excess-64 exponent of 16, 56-bit fraction.</summary>
    internal static double? ReadIbmDouble(ReadOnlySpan<byte> bytes)
    {
        Span<byte> full = stackalloc byte[8];
        bytes.CopyTo(full);
        var rest = full[1..];
        if (!rest.ContainsAnyExcept((byte)0) && (full[0] == (byte)'.' || full[0] == (byte)'_' || full[0] is >= (byte)'A' and <= (byte)'Z'))
        {
            return null;
        }

        var bits = BinaryPrimitives.ReadUInt64BigEndian(full);
        var fraction = bits & 0x00FF_FFFF_FFFF_FFFFUL;
        if (fraction == 0)
        {
            return 0.0;
        }

        var exponent = (int)((bits >> 56) & 0x7F) - 64;
        var value = Math.ScaleB(fraction, (4 * exponent) - 56);
        return (bits & 0x8000_0000_0000_0000UL) != 0 ? -value : value;
    }

    private static string FormatNumber(ReadOnlySpan<byte> bytes) =>
        ReadIbmDouble(bytes) is { } value ? value.ToString("R", CultureInfo.InvariantCulture) : "";

    private static string Decode(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.Length;
        while (end > 0 && (bytes[end - 1] == (byte)' ' || bytes[end - 1] == 0))
        {
            end--;
        }

        var text = bytes[..end];
        if (!text.ContainsAnyExceptInRange((byte)0x20, (byte)0x7E))
        {
            return Encoding.ASCII.GetString(text);
        }

        try
        {
            return Strict.GetString(text);
        }
        catch (DecoderFallbackException)
        {
            return Fallback.GetString(text);
        }
    }

    private static Encoding CodePagesEncoding()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1252);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stream.Dispose();
        }

        base.Dispose(disposing);
    }

    private readonly record struct Variable(string Name, string Label, bool Numeric, int Position, int Length);
}
