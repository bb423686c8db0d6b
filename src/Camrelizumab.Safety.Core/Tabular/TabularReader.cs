namespace Camrelizumab.Safety.Core.Tabular;

/// <summary>
/// A table read one record at a time, whatever the file format: a header of column names, then rows of text cells.
/// Every format reader streams, so memory stays bounded by one record whatever the file size.
/// </summary>
/// <remarks>
/// <see cref="RecordNumber"/> is what a data manager uses to find a row: the physical line for CSV/TSV (header = line 1),
/// the sheet row for XLSX (header = row 1), and the record number for SAS XPORT, Dataset-JSON and ODM-XML
/// (1 = first record; <see cref="Locator"/> says which).
/// </remarks>
public abstract class TabularReader : IDisposable
{
    /// <summary>Column names, in file order.</summary>
    public abstract IReadOnlyList<string> Header { get; }

    /// <summary>Column labels where the format carries them (XPT, Dataset-JSON), else the names.</summary>
    public virtual IReadOnlyList<string> Labels => Header;

    /// <summary>The number that locates the last record read (see the remarks).</summary>
    public abstract long RecordNumber { get; }

    /// <summary><c>line</c>, <c>row</c> or <c>record</c>: what <see cref="RecordNumber"/> counts.</summary>
    public abstract string Locator { get; }

    /// <summary>The format, for reports: csv, xlsx, xpt, dataset-json, dataset-ndjson, odm-xml.</summary>
    public abstract string Format { get; }

    /// <summary>Reads the next record, one cell per header column (missing is empty). The list may be reused.</summary>
    /// <exception cref="Text.ExportFormatException">The file breaks off or is malformed at this record.</exception>
    public abstract bool TryRead(out IReadOnlyList<string> cells);

    private IReadOnlyList<string> _cells = [];

    /// <summary>Reads the next record for a reader that looks at a few cells of each row: <see cref="Cell"/> gives a
    /// cell without a string being made of every cell (where the format allows), <see cref="Cells"/> all of them.</summary>
    /// <exception cref="Text.ExportFormatException">The file breaks off or is malformed at this record.</exception>
    public virtual bool TryReadRecord()
    {
        var read = TryRead(out var cells);
        _cells = read ? cells : [];
        return read;
    }

    /// <summary>Cells in the record read by <see cref="TryReadRecord"/>.</summary>
    public virtual int CellCount => _cells.Count;

    /// <summary>A cell of the record read by <see cref="TryReadRecord"/>, as <see cref="TryRead"/> would give it; valid
    /// until the next read.</summary>
    public virtual ReadOnlySpan<char> Cell(int index) => _cells[index];

    /// <summary>The record read by <see cref="TryReadRecord"/>, as <see cref="TryRead"/> would give it; the list may be reused.</summary>
    public virtual IReadOnlyList<string> Cells => _cells;

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}
