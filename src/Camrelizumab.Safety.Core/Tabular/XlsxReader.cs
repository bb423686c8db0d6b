using System.Globalization;
using System.IO.Compression;
using Camrelizumab.Safety.Core.Text;
using MiniExcelLibs;

namespace Camrelizumab.Safety.Core.Tabular;

/// <summary>The first sheet (or a named one) of an XLSX workbook as a table: row 1 is the header. Rows stream from
/// MiniExcel; the archive is checked first, so a ZIP bomb is refused before anything is inflated.</summary>
/// <remarks>
/// Numbers keep their shortest round-trip text; dates become ISO 8601 (time only when not midnight). The limits use the
/// sizes the archive declares; .NET's ZipArchive stops an entry at its declared size (checked on .NET 10: an entry that
/// declares 1,000 bytes but deflates to 50 MiB reads as 1,000 bytes), so a lying header cannot inflate past its claim.
/// </remarks>
internal sealed class XlsxReader : TabularReader
{
    /// <summary>Inflated size limit for the whole workbook.</summary>
    public const long MaxUncompressedBytes = 512L * 1024 * 1024;

    /// <summary>Compression ratio above which an entry is treated as a bomb (real sheets compress about 5-20 times).</summary>
    public const int MaxCompressionRatio = 200;

    public const int MaxEntries = 10_000;

    private readonly Stream _stream;
    private readonly IEnumerator<IDictionary<string, object?>> _rows;
    private readonly string[] _columns;
    private readonly string[] _header;
    private readonly string[] _cells;
    private long _row = 1;

    private XlsxReader(Stream stream, IEnumerator<IDictionary<string, object?>> rows, string[] columns, string[] header)
    {
        _stream = stream;
        _rows = rows;
        _columns = columns;
        _header = header;
        _cells = new string[header.Length];
    }

    public override IReadOnlyList<string> Header => _header;

    public override long RecordNumber => _row;

    public override string Locator => "row";

    public override string Format => "xlsx";

    public static XlsxReader Open(Stream stream, string? sheet = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        CheckArchive(stream);
        IEnumerator<IDictionary<string, object?>> rows;
        try
        {
            if (sheet is not null && !MiniExcel.GetSheetNames(stream).Contains(sheet, StringComparer.Ordinal))
            {
                throw new ExportFormatException("xlsx-no-such-sheet", $"The workbook has no sheet named '{sheet}'.");
            }

            stream.Position = 0;
            rows = MiniExcel.Query(stream, useHeaderRow: false, sheetName: sheet).Cast<IDictionary<string, object?>>().GetEnumerator();
            if (!rows.MoveNext())
            {
                throw new ExportFormatException("empty-file", "The sheet is empty: there is no header row.", 1);
            }
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException or System.Xml.XmlException)
        {
            throw new ExportFormatException("invalid-xlsx", $"The workbook cannot be read: {e.Message}", null, e);
        }

        var headerRow = rows.Current;
        var columns = headerRow.Where(p => Text(p.Value).Length > 0).Select(p => p.Key).ToArray();
        var header = columns.Select(c => Text(headerRow[c])).ToArray();
        return new XlsxReader(stream, rows, columns, header);
    }

    public override bool TryRead(out IReadOnlyList<string> cells)
    {
        cells = _cells;
        while (true)
        {
            bool more;
            try
            {
                more = _rows.MoveNext();
            }
            catch (Exception e) when (e is InvalidDataException or InvalidOperationException or System.Xml.XmlException)
            {
                throw new ExportFormatException("invalid-xlsx", FormattableString.Invariant($"The workbook breaks off after row {_row}: {e.Message}"), _row + 1, e);
            }

            if (!more)
            {
                return false;
            }

            _row++;
            var row = _rows.Current;
            for (var i = 0; i < _columns.Length; i++)
            {
                _cells[i] = row.TryGetValue(_columns[i], out var value) ? Text(value) : "";
            }

            // Empty rows between data rows are not records (as blank lines in CSV are not).
            if (_cells.Any(c => c.Length > 0))
            {
                return true;
            }
        }
    }

    private static string Text(object? value) => value switch
    {
        null => "",
        string s => s,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        DateTime t => t.TimeOfDay == TimeSpan.Zero ? t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : t.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static void CheckArchive(Stream stream)
    {
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            if (zip.Entries.Count > MaxEntries)
            {
                throw new ExportFormatException("xlsx-too-many-entries", FormattableString.Invariant($"The workbook archive has {zip.Entries.Count} entries; the limit is {MaxEntries}."));
            }

            long total = 0;
            foreach (var entry in zip.Entries)
            {
                total += entry.Length;
                if (entry.CompressedLength > 0 && entry.Length / entry.CompressedLength > MaxCompressionRatio && entry.Length > 1024 * 1024)
                {
                    throw new ExportFormatException("xlsx-bomb", FormattableString.Invariant($"The workbook entry '{entry.FullName}' inflates {entry.Length / entry.CompressedLength} times ({entry.Length:N0} bytes); the limit is {MaxCompressionRatio} times. It looks like a ZIP bomb."));
                }
            }

            if (total > MaxUncompressedBytes)
            {
                throw new ExportFormatException("xlsx-too-large", FormattableString.Invariant($"The workbook inflates to {total:N0} bytes; the limit is {MaxUncompressedBytes:N0}."));
            }
        }
        catch (InvalidDataException e)
        {
            throw new ExportFormatException("invalid-xlsx", $"The file starts like a ZIP archive (XLSX) but is not one: {e.Message}", null, e);
        }

        stream.Position = 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _rows.Dispose();
            _stream.Dispose();
        }

        base.Dispose(disposing);
    }
}
