using System.Net;
using Azure.Data.Tables;
using Camrelizumab.Safety.Storage.Tables;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace Camrelizumab.Safety.Storage.Mail;

/// <summary>
/// Delivers messages through the alert ledger: reserve → send → mark sent. A send that fails leaves the entry Pending
/// for the next run; a reservation that exists already is not sent again.
/// </summary>
/// <remarks>
/// If the process dies between the transport accepting a message and the ledger recording it, the next run sends it
/// again with the same Message-ID, so mail clients and the pickup folder show one message. That is the only duplicate
/// at-least-once delivery allows, and it is never a different message.
/// </remarks>
public sealed class Notifier(AlertLedger ledger, IMailTransport transport, MailOptions options, SafetyStore store, ILogger<Notifier> logger)
{
    /// <summary>Reserves and delivers a message; returns false when it had been sent before.</summary>
    public async Task<bool> NotifyAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var reservation = await ledger.ReserveAsync(message, cancellationToken);
        if (reservation.Status == LedgerStatus.Sent)
        {
            Log.AlreadySent(logger, message.Category, message.Id);
            return false;
        }

        var entity = await ledger.FindAsync(message.Category, message.Id, cancellationToken)
            ?? throw new InvalidOperationException($"Ledger entry {message.Category}/{message.Id} vanished after it was reserved.");
        await DeliverAsync(entity, cancellationToken);
        return true;
    }

    /// <summary>Reserves a message without sending it; <see cref="DeliverPendingAsync"/> sends it.</summary>
    public Task<Reservation> ReserveAsync(OutboxMessage message, CancellationToken cancellationToken) =>
        ledger.ReserveAsync(message, cancellationToken);

    /// <summary>Sends every Pending message; throws after trying them all if any still failed.</summary>
    public async Task<int> DeliverPendingAsync(CancellationToken cancellationToken)
    {
        var failures = new List<Exception>();
        var delivered = 0;
        foreach (var entity in await ledger.PendingAsync(cancellationToken))
        {
            try
            {
                await DeliverAsync(entity, cancellationToken);
                delivered++;
                SafetyTelemetry.AlertsSent.Add(1);
            }
            catch (InvalidOperationException ex)
            {
                failures.Add(ex);
            }
        }

        if (failures.Count > 0)
        {
            throw new AggregateException($"{failures.Count} message(s) in the alert ledger could not be sent; they stay pending.", failures);
        }

        return delivered;
    }

    private async Task DeliverAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        var content = AlertLedger.ContentOf(entity);
        var message = new MimeMessage { Subject = content.Subject, MessageId = content.MessageId };
        message.From.Add(MailboxAddress.Parse(options.From));
        foreach (var address in AlertLedger.RecipientsOf(entity))
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

        if (entity.GetString("AttachmentBlob") is { Length: > 0 } attachment)
        {
            // "container/name": the report itself stays in storage; the ledger holds only its name.
            var slash = attachment.IndexOf('/', StringComparison.Ordinal);
            var blob = store.Blobs.GetBlobContainerClient(attachment[..slash]).GetBlobClient(attachment[(slash + 1)..]);
            var download = await blob.DownloadContentAsync(cancellationToken);
            body.Attachments.Add(Path.GetFileName(attachment), download.Value.Content.ToArray(), ContentType.Parse(download.Value.Details.ContentType ?? "application/octet-stream"));
        }

        message.Body = body.ToMessageBody();
        try
        {
            await transport.SendAsync(message, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await ledger.RecordFailureAsync(entity, ex.Message, cancellationToken);
            Log.SendFailed(logger, ex, entity.PartitionKey, entity.RowKey);
            throw new InvalidOperationException($"Sending {entity.PartitionKey}/{entity.RowKey} failed; it stays pending and will be retried.", ex);
        }

        await ledger.MarkSentAsync(entity, cancellationToken);
        Log.Sent(logger, entity.PartitionKey, entity.RowKey, message.To.Count);
    }
}
