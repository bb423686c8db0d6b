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

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}
