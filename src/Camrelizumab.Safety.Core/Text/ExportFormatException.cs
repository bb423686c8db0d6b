namespace Camrelizumab.Safety.Core.Text;

/// <summary>
/// A file that cannot be read as an export at all (undecodable text, unterminated quote, absurd line length,
/// no recognisable header). Row-level problems are never thrown; they become <see cref="Ingest.RowRejection"/>s.
/// </summary>
/// <remarks>Ingest needs its own type so that it can tell the data manager which line broke the file.</remarks>
public sealed class ExportFormatException : Exception
{
    public ExportFormatException(string reasonCode, string message, long? line = null, Exception? innerException = null)
        : base(message, innerException)
    {
        ReasonCode = reasonCode;
        Line = line;
    }

    public ExportFormatException()
        : this("unreadable", "The file cannot be read as an export.")
    {
    }

    public ExportFormatException(string message)
        : this("unreadable", message)
    {
    }

    public ExportFormatException(string message, Exception innerException)
        : this("unreadable", message, null, innerException)
    {
    }

    /// <summary>A stable, machine-readable code such as <c>unterminated-quote</c>.</summary>
    public string ReasonCode { get; }

    /// <summary>The physical line (1-based) where the problem was found, when there is one.</summary>
    public long? Line { get; }
}
