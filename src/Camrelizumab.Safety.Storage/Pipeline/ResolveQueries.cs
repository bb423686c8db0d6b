using System.Globalization;
using System.Text.Json;
using Azure.Storage.Blobs.Models;
using Camrelizumab.Safety.Core.AdverseEvents;
using Camrelizumab.Safety.Core.Coding;
using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Core.Queries;
using Camrelizumab.Safety.Core.Tabular;
using Microsoft.Extensions.Logging;

namespace Camrelizumab.Safety.Storage.Pipeline;

/// <summary>
/// What coders and data managers do with open queries: list them, list the verbatims awaiting coding, and record or
/// revoke a coder decision (from the CLI, or from a decisions file dropped into <c>coding-decisions</c> where no CLI
/// runs). A decision changes no stored event: every evaluation applies the decisions in force, so it reaches past and
/// future events alike and the crossings it changes are raised at the next evaluation.
/// </summary>
public sealed class ResolveQueries(SafetyStore store, SnapshotReader snapshot, CtcaeDictionary dictionary, TimeProvider timeProvider, ILogger<ResolveQueries> logger)
{
    private static readonly string[] RequiredColumns = ["verbatim", "term", "by", "reason"];
    private static readonly JsonSerializerOptions ReceiptJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Every open query on a live event (coder decisions applied), with the events of subjects no roster names.</summary>
    public async Task<OpenQueries> ListOpenAsync(CancellationToken cancellationToken)
    {
        var (evaluation, subjects, events) = await snapshot.ReadAsync(DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime), cancellationToken);
        var rostered = subjects.Select(s => s.SubjectId).ToHashSet(StringComparer.Ordinal);
        return new OpenQueries(
            [.. events.Where(e => e.Queries.Count > 0).OrderBy(e => e.SubjectId, StringComparer.Ordinal).ThenBy(e => e.AeId, StringComparer.Ordinal)],
            [.. events.Where(e => !rostered.Contains(e.SubjectId)).OrderBy(e => e.SubjectId, StringComparer.Ordinal).ThenBy(e => e.AeId, StringComparer.Ordinal)],
            evaluation.DataQueries);
    }

    /// <summary>The distinct verbatims awaiting coding, most serious and worst-graded first, with suggestions.</summary>
    public async Task<List<PendingVerbatim>> PendingCodingAsync(CancellationToken cancellationToken)
    {
        var (_, subjects, events) = await snapshot.ReadAsync(DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime), cancellationToken);
        return AdverseEventCoding.Pending(events, subjects, CtcaeCoder.Default);
    }

    /// <summary>Records a coder's decision: <paramref name="termText"/> (a CTCAE v5.0 term name or its MedDRA code) for a verbatim.</summary>
    /// <exception cref="ArgumentException">The term is not a CTCAE v5.0 term; the message names the closest ones.</exception>
    public async Task<(CodingDecision Decision, bool Recorded)> AssignAsync(string verbatim, string termText, string decidedBy, string reason, CancellationToken cancellationToken)
    {
        var term = FindTerm(termText);
        var result = await store.CodingDecisions.RecordAsync(verbatim, term, decidedBy, reason, timeProvider.GetUtcNow(), cancellationToken);
        // Refolded whether or not this call recorded it: a retry after a crash between the two still brings the facts up to date.
        await snapshot.Facts.RefreshVerbatimAsync(result.Decision.VerbatimKey, cancellationToken);
        if (result.Recorded)
        {
            Log.CodingDecisionRecorded(logger, result.Decision.VerbatimKey, result.Decision.Version, decidedBy);
        }

        return result;
    }

    /// <summary>Revokes the decision in force for a verbatim: its events await coding again. An audited version like any other.</summary>
    public async Task<(CodingDecision Decision, bool Recorded)> RevokeAsync(string verbatim, string decidedBy, string reason, CancellationToken cancellationToken)
    {
        var result = await store.CodingDecisions.RecordAsync(verbatim, null, decidedBy, reason, timeProvider.GetUtcNow(), cancellationToken);
        // Refolded whether or not this call recorded it: a retry after a crash between the two still brings the facts up to date.
        await snapshot.Facts.RefreshVerbatimAsync(result.Decision.VerbatimKey, cancellationToken);
        if (result.Recorded)
        {
            Log.CodingDecisionRecorded(logger, result.Decision.VerbatimKey, result.Decision.Version, decidedBy);
        }

        return result;
    }

    /// <summary>Every version of the decision for a verbatim, oldest first.</summary>
    public Task<List<CodingDecision>> HistoryAsync(string verbatim, CancellationToken cancellationToken) =>
        store.CodingDecisions.ReadVersionsAsync(CodingDecisions.KeyOf(verbatim), cancellationToken);

    /// <summary>
    /// Applies a decisions file (CSV or any table format: columns <c>verbatim</c>, <c>term</c> (name or MedDRA code),
    /// <c>by</c>, <c>reason</c>, optional <c>action</c> = assign | revoke) and writes its receipt beside the ingest
    /// reports. Each row is recorded, unchanged (the same decision is in force), or refused with line, column and reason.
    /// Processing the same file twice records nothing the second time.
    /// </summary>
    public async Task<CodingDecisionsReceipt> ApplyDecisionFileAsync(string blobName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(blobName);
        var download = await store.CodingDecisionsInbox.GetBlobClient(blobName).DownloadContentAsync(cancellationToken);
        var bytes = download.Value.Content.ToArray();
        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        var rows = new List<CodingDecisionRow>();
        using (var table = TabularFile.Open(new MemoryStream(bytes, writable: false), blobName))
        {
            var header = table.Header.Select(h => h.Trim().ToLowerInvariant()).ToList();
            int Column(string name) => header.IndexOf(name);
            var missing = RequiredColumns.Where(c => Column(c) < 0).ToList();
            if (missing.Count > 0)
            {
                throw new Core.Text.ExportFormatException("missing-columns", $"A coding decisions file needs the columns verbatim, term, by and reason (and optionally action); missing: {string.Join(", ", missing)}.");
            }

            while (table.TryRead(out var cells))
            {
                string? Cell(string name) => Column(name) is var i and >= 0 && i < cells.Count && cells[i].Trim().Length > 0 ? cells[i].Trim() : null;
                rows.Add(await ApplyRowAsync(table.RecordNumber, Cell("verbatim"), Cell("term"), Cell("by"), Cell("reason"), Cell("action"), cancellationToken));
            }
        }

        var receipt = new CodingDecisionsReceipt(blobName, sha256, rows.Count, rows.Count(r => r.Outcome == "recorded"), rows.Count(r => r.Outcome == "unchanged"), rows.Count(r => r.Outcome == "refused"), rows, timeProvider.GetUtcNow());
        var receiptName = $"coding-decisions/{blobName}.{sha256[..12]}.receipt.json";
        await store.IngestReports.GetBlobClient(receiptName).UploadAsync(
            BinaryData.FromObjectAsJson(receipt, ReceiptJson),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
            cancellationToken);
        Log.CodingDecisionsFileApplied(logger, blobName, receipt.Recorded, receipt.Refused);
        return receipt;
    }

    private async Task<CodingDecisionRow> ApplyRowAsync(long line, string? verbatim, string? termText, string? by, string? reason, string? action, CancellationToken cancellationToken)
    {
        CodingDecisionRow Refuse(string column, string why) => new(line, verbatim, termText, "refused", column, why, null);
        if (verbatim is null || CodingDecisions.KeyOf(verbatim).Length == 0)
        {
            return Refuse("verbatim", "The verbatim is empty or has no letters or digits.");
        }

        if (by is null)
        {
            return Refuse("by", "Who decided is required (the audit trail names every coder).");
        }

        if (reason is null)
        {
            return Refuse("reason", "A reason is required (the audit trail keeps why).");
        }

        var revoke = string.Equals(action, "revoke", StringComparison.OrdinalIgnoreCase);
        if (action is not null && !revoke && !string.Equals(action, "assign", StringComparison.OrdinalIgnoreCase))
        {
            return Refuse("action", "The action is assign or revoke.");
        }

        try
        {
            var (decision, recorded) = revoke
                ? await RevokeAsync(verbatim, by, reason, cancellationToken)
                : await AssignAsync(verbatim, termText ?? throw new ArgumentException("The term is required to assign."), by, reason, cancellationToken);
            return new CodingDecisionRow(line, verbatim, decision.Term?.Name, recorded ? "recorded" : "unchanged", null, null, decision.Version);
        }
        catch (ArgumentException ex)
        {
            return Refuse("term", ex.Message);
        }
        catch (InvalidOperationException ex)
        {
            return Refuse(revoke ? "action" : "verbatim", ex.Message);
        }
    }

    private CtcaeTerm FindTerm(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        if (MedDraCode.TryParse(text, out var code) && dictionary.Find(code) is { } byCode)
        {
            return byCode;
        }

        if (dictionary.Find(text) is { } byName)
        {
            return byName;
        }

        var closest = CtcaeCoder.Default.Code(text).Suggestions.Select(s => s.Term.Name).ToList();
        throw new ArgumentException(
            $"'{text}' is not a CTCAE v5.0 term or the MedDRA code of one{(closest.Count == 0 ? "" : "; closest: " + string.Join("; ", closest))}. Terms are listed by 'safety ctcae terms'.");
    }
}

/// <summary>The open queries: events with queries, events of subjects no roster names, and the counts.</summary>
public sealed record OpenQueries(IReadOnlyList<AdverseEvent> EventsWithQueries, IReadOnlyList<AdverseEvent> EventsWithoutRosterSubject, DataQuerySummary Summary);

/// <summary>What one row of a coding decisions file did: <c>recorded</c>, <c>unchanged</c> or <c>refused</c> (with column and reason).</summary>
public sealed record CodingDecisionRow(long Line, string? Verbatim, string? Term, string Outcome, string? Column, string? Reason, int? Version);

/// <summary>The receipt of a coding decisions file. Rows read = recorded + unchanged + refused.</summary>
public sealed record CodingDecisionsReceipt(string FileName, string Sha256, int RowsRead, int Recorded, int Unchanged, int Refused, IReadOnlyList<CodingDecisionRow> Rows, DateTimeOffset ProcessedAt)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{FileName}: {RowsRead} rows, {Recorded} recorded, {Unchanged} unchanged, {Refused} refused");
}
