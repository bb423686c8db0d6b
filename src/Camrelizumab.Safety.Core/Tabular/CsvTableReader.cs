using Camrelizumab.Safety.Core.Text;

namespace Camrelizumab.Safety.Core.Tabular;

/// <summary>Delimited text (CSV, TSV, semicolon or pipe) as a table: the first record is the header.</summary>
public sealed class CsvTableReader : TabularReader
{
    private readonly TextReader _text;
    private readonly CsvReader _csv;
    private readonly string[] _header;
    private IReadOnlyList<string>? _cells;

    public CsvTableReader(TextReader text, string? encodingName = null, CsvLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        _text = text;
        EncodingName = encodingName;
        _csv = new CsvReader(text, null, limits);
        if (!_csv.TryRead(out var header))
        {
            throw new ExportFormatException("empty-file", "The file is empty: there is no header line.", 1);
        }

        _header = [.. header];
    }

    /// <summary>The text encoding the bytes were decoded with, when the reader was opened from bytes.</summary>
    public string? EncodingName { get; }

    public char Delimiter => _csv.Delimiter;

    public override IReadOnlyList<string> Header => _header;

    public override long RecordNumber => _csv.RecordLine;

    public override string Locator => "line";

    public override string Format => "csv";

    /// <summary>Decodes the bytes (BOM, UTF-8, GB18030, Windows-1252, see <see cref="TextDecoding"/>) and reads the header.</summary>
    public static CsvTableReader Open(Stream stream, CsvLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var (encoding, name) = TextDecoding.Detect(stream);
        // 64 KiB at a time: with the default buffer a file stream is read 4 KiB per system call.
        return new CsvTableReader(new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024), name, limits);
    }

    public override bool TryRead(out IReadOnlyList<string> cells)
    {
        _cells = null;
        return _csv.TryRead(out cells);
    }

    public override bool TryReadRecord()
    {
        _cells = null;
        return _csv.TryReadRecord();
    }

    public override int CellCount => _csv.FieldCount;

    public override ReadOnlySpan<char> Cell(int index) => _csv.Field(index);

    public override IReadOnlyList<string> Cells => _cells ??= _csv.Fields();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _text.Dispose();
        }

        base.Dispose(disposing);
    }
}
