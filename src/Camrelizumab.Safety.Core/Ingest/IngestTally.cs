namespace Camrelizumab.Safety.Core.Ingest;

/// <summary>
/// The fold of one file's row results: rows stored, rows refused, refusals by reason and the first
/// <see cref="IngestReport.MaxListedRejections"/> refusals. It owns the invariant rows read = stored + refused
/// (STYLE.md §4): <see cref="Report"/> refuses to state counts that do not add up.
/// </summary>
public sealed class IngestTally
{
    private readonly List<RowRejection> _listed = [];
    private readonly SortedDictionary<string, int> _byReason = new(StringComparer.Ordinal);

    public long Accepted { get; private set; }

    public long Rejected { get; private set; }

    /// <summary>Counts one row; returns its refusal, if it was refused, for the caller's full list.</summary>
    public RowRejection? Add(RowResult row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row is not RowResult.Rejected { Rejection: var rejection })
        {
            Accepted++;
            return null;
        }

        Rejected++;
        _byReason[rejection.ReasonCode] = _byReason.GetValueOrDefault(rejection.ReasonCode) + 1;
        if (_listed.Count < IngestReport.MaxListedRejections)
        {
            _listed.Add(rejection);
        }

        return rejection;
    }

    /// <summary>
    /// Every row read was refused as another study's: a whole file dropped into the wrong trial's inbox, which retrying
    /// cannot change. Returns the study it names.
    /// </summary>
    public string? AnotherStudy(long rowsRead) =>
        rowsRead > 0 && Rejected == rowsRead && _byReason.Count == 1 && _byReason.ContainsKey(RejectionMessages.Code(RejectionReason.WrongStudy))
            ? _listed[0].RawValue
            : null;

    /// <summary>Throws when the reader's count of rows read is not rows stored + rows refused.</summary>
    public void Reconcile(string fileName, long rowsRead)
    {
        if (rowsRead != Accepted + Rejected)
        {
            throw new InvalidOperationException($"{fileName}: {rowsRead} rows read but {Accepted} accepted + {Rejected} rejected; refusing to report an incomplete ingest.");
        }
    }

    /// <summary>The processed file's report with this tally's counts; throws when rows read ≠ stored + refused.</summary>
    public IngestReport Report(IngestReport file, long rowsRead)
    {
        ArgumentNullException.ThrowIfNull(file);
        Reconcile(file.FileName, rowsRead);
        return file with
        {
            RowsRead = rowsRead,
            RowsAccepted = Accepted,
            RowsRejected = Rejected,
            Rejections = [.. _listed],
            RejectionsByReason = new SortedDictionary<string, int>(_byReason, StringComparer.Ordinal),
        };
    }
}
