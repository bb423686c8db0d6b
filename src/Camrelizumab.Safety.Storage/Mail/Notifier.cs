using System.Net;
using Camrelizumab.Safety.Storage.Tables;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace Camrelizumab.Safety.Storage.Mail;

/// <summary>
/// The outbox's sender. Steps only reserve messages (<see cref="ReserveAsync"/>); <see cref="DeliverDueAsync"/>, run by
/// its own timer, sends them: lease → send → mark sent, each write conditioned on the ETag of the one before, so with any
/// number of hosts reading the same Pending entry exactly one sends it. A failed send releases the lease and waits out a
/// back-off; a hung mail server holds up delivery only, never ingest or evaluation.
/// </summary>
/// <remarks>
/// If a host dies (or its send outlives the lease) after the transport accepted a message but before the ledger
/// recorded it, the lease expires and another host sends it again with the same Message-ID, so mail clients and the
/// pickup folder show one message. That is the only duplicate at-least-once delivery allows, and it is never a
/// different message. The send is cancelled at <see cref="SendTimeout"/>, well inside <see cref="Lease"/>.
/// </remarks>
public sealed class Notifier(AlertLedger ledger, IMailTransport transport, MailOptions options, SafetyStore store, TimeProvider timeProvider, ILogger<Notifier> logger)
{
    /// <summary>How long a host holds an entry it is sending; another host may take it after that.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    /// <summary>A send still running after this is abandoned and counted as failed.</summary>
    public static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(45);

    /// <summary>This host's name on the leases it takes.</summary>
    private readonly string _holder = HostName.New();

    /// <summary>Reserves a message without sending it; <see cref="DeliverDueAsync"/> sends it.</summary>
    public Task<Reservation> ReserveAsync(OutboxMessage message, CancellationToken cancellationToken) =>
        ledger.ReserveAsync(message, cancellationToken);

    /// <summary>
    /// Sends every Pending message that is due and that this host wins the lease of. Failures are recorded on the entry
    /// (with its back-off) and logged; they do not throw, since the next run retries them. After two failures in a row
    /// the run stops trying: the mail server is down or hung.
    /// </summary>
    public async Task<DeliveryRun> DeliverDueAsync(CancellationToken cancellationToken)
    {
        int sent = 0, failed = 0, notDue = 0, failedInARow = 0;
        foreach (var pending in await ledger.PendingAsync(cancellationToken))
        {
            // Two failures in a row say the server is down or hung, not that one message is bad: the rest wait for the
            // next run untouched, instead of each costing a send timeout now and a back-off later.
            if (failedInARow == 2)
            {
                notDue++;
                continue;
            }

            if (await ledger.TryLeaseAsync(pending, _holder, Lease, cancellationToken) is not { } leased)
            {
                notDue++;
                continue;
            }

            if (await DeliverAsync(leased, cancellationToken))
            {
                sent++;
                failedInARow = 0;
                SafetyTelemetry.AlertsSent.Add(1);
            }
            else
            {
                failed++;
                failedInARow++;
            }
        }

        return new DeliveryRun(sent, failed, notDue);
    }

    /// <summary>Sends a leased entry; false when the send failed (recorded on the entry).</summary>
    private async Task<bool> DeliverAsync(AlertLedgerEntry entry, CancellationToken cancellationToken)
    {
        var content = entry.Content;
        var message = new MimeMessage { Subject = content.Subject, MessageId = content.MessageId };
        message.From.Add(MailboxAddress.Parse(options.From));
        foreach (var address in entry.Recipients)
        {
            message.To.Add(MailboxAddress.Parse(address));
        }

        var body = new BodyBuilder { TextBody = content.PlainText, HtmlBody = content.Html };
        if (options.Notice.Length > 0)
        {
            body.TextBody = options.Notice + Environment.NewLine + Environment.NewLine + content.PlainText;
            var bodyStart = content.Html.IndexOf('>', content.Html.IndexOf("<body", StringComparison.Ordinal)) + 1;
            body.HtmlBody = content.Html.Insert(bodyStart, $"<p><em>{WebUtility.HtmlEncode(options.Notice)}</em></p>");
        }

        if (entry.AttachmentBlob is { Length: > 0 } attachment)
        {
            // "container/name": the report itself stays in storage; the ledger holds only its name.
            var slash = attachment.IndexOf('/', StringComparison.Ordinal);
            var blob = store.Blobs.GetBlobContainerClient(attachment[..slash]).GetBlobClient(attachment[(slash + 1)..]);
            var download = await blob.DownloadContentAsync(cancellationToken);
            body.Attachments.Add(Path.GetFileName(attachment), download.Value.Content.ToArray(), ContentType.Parse(download.Value.Details.ContentType ?? "application/octet-stream"));
        }

        message.Body = body.ToMessageBody();
        using var timeout = new CancellationTokenSource(SendTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await transport.SendAsync(message, linked.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var reason = ex is OperationCanceledException ? $"The mail server did not complete the send within {SendTimeout.TotalSeconds:0} s." : ex.Message;
            await ledger.RecordFailureAsync(entry, reason, cancellationToken);
            Log.SendFailed(logger, ex, entry.Category, entry.Id, AlertLedger.RetryDelay(entry.Attempts ?? 1).TotalSeconds);
            return false;
        }

        if (await ledger.MarkSentAsync(entry, cancellationToken))
        {
            Log.Sent(logger, entry.Category, entry.Id, message.To.Count);
        }
        else
        {
            Log.LeaseLostAfterSend(logger, entry.Category, entry.Id);
        }

        return true;
    }
}
