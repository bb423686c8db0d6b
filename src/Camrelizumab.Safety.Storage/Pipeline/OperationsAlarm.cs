using System.Text.Json;
using Azure;
using Azure.Storage.Blobs.Models;
using Camrelizumab.Safety.Core.Alerts;
using Camrelizumab.Safety.Core.Stopping;
using Camrelizumab.Safety.Storage.Mail;
using Camrelizumab.Safety.Storage.Tables;
using Microsoft.Extensions.Logging;

namespace Camrelizumab.Safety.Storage.Pipeline;

/// <summary>
/// Tells the operators (role <see cref="MailOptions.OperationsRole"/>) once when a timer step starts failing, and once
/// when it succeeds again, however many runs fail in between and however many hosts run it. The run of failures is a
/// blob (<c>health/STEP.json</c> in the runtime container) written only with ETag conditions, so one host opens it and
/// one host closes it; the messages are reserved under ids made from the step and the failure's start, so they never double.
/// </summary>
public sealed class OperationsAlarm(SafetyStore store, Notifier notifier, MailOptions mail, SafetyRules rules, TimeProvider timeProvider, ILogger<OperationsAlarm> logger)
{

    /// <summary>Runs a timer step; a failure opens (or extends) the step's run of failures and is rethrown.</summary>
    public async Task<T> WatchAsync<T>(string step, Func<CancellationToken, Task<T>> run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        T result;
        try
        {
            result = await run(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await FailedAsync(step, ex, cancellationToken);
            throw;
        }

        try
        {
            await SucceededAsync(step, cancellationToken);
        }
        catch (Exception ex) when (ex is RequestFailedException or AggregateException)
        {
            // The step did its work; closing the run of failures is tried again after its next success.
            Log.StepRecoveryNotRecorded(logger, ex, step);
        }

        return result;
    }

    /// <summary>Records a failed run; the first of a run of failures reserves the operators' message.</summary>
    public async Task FailedAsync(string step, Exception error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        var now = timeProvider.GetUtcNow();
        var text = $"{error.GetType().Name}: {error.Message.Split('\n')[0]}";
        text = text.Length > 500 ? text[..500] : text;
        var blob = HealthBlob(step);
        try
        {
            // Another host's write between our read and ours fails ours (409/412): read again. Every round one host wins.
            while (true)
            {
                var (current, etag) = await ReadAsync(step, cancellationToken);
                var next = current is null ? new Health(now, 1, text) : current with { Failures = current.Failures + 1, LastError = text };
                var conditions = current is null ? new BlobRequestConditions { IfNoneMatch = ETag.All } : new BlobRequestConditions { IfMatch = etag };
                try
                {
                    await blob.UploadAsync(BinaryData.FromObjectAsJson(next, JsonSerializerOptions.Web), new BlobUploadOptions { Conditions = conditions }, cancellationToken);
                }
                catch (RequestFailedException ex) when (ex.Status is 409 or 412)
                {
                    continue;
                }

                Log.StepFailing(logger, step, next.Failures, next.Since);
                var recipients = mail.AddressesFor([mail.OperationsRole]);
                if (current is null && recipients.Count > 0)
                {
                    var id = $"ops.{step}.{next.Since:yyyyMMddTHHmmss}";
                    await notifier.ReserveAsync(
                        new OutboxMessage(MessageCategory.Operations, id, AlertEmail.ComposeStepFailing(rules.Study, step, id, next.Since, text), recipients,
                            LedgerDetails.Operations(step)),
                        cancellationToken);
                }

                return;
            }
        }
        catch (Exception ex) when (ex is RequestFailedException or AggregateException)
        {
            // Storage is what fails (AggregateException: every retry failed to connect): the host's log has the step's
            // error, and the next run tries to record it again.
            Log.StepFailureNotRecorded(logger, ex, step);
        }
    }

    /// <summary>Closes the step's run of failures, if one is open, and tells the operators once.</summary>
    public async Task SucceededAsync(string step, CancellationToken cancellationToken)
    {
        var (current, etag) = await ReadAsync(step, cancellationToken);
        if (current is null)
        {
            return;
        }

        try
        {
            await HealthBlob(step).DeleteAsync(conditions: new BlobRequestConditions { IfMatch = etag }, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return;
        }

        Log.StepRecovered(logger, step, current.Failures);
        var recipients = mail.AddressesFor([mail.OperationsRole]);
        if (recipients.Count > 0)
        {
            var id = $"ops.{step}.{current.Since:yyyyMMddTHHmmss}.recovered";
            await notifier.ReserveAsync(
                new OutboxMessage(MessageCategory.Operations, id, AlertEmail.ComposeStepRecovered(rules.Study, step, id, current.Since, timeProvider.GetUtcNow(), current.Failures), recipients,
                    LedgerDetails.Operations(step)),
                cancellationToken);
        }
    }

    private async Task<(Health? Health, ETag ETag)> ReadAsync(string step, CancellationToken cancellationToken)
    {
        try
        {
            var content = await HealthBlob(step).DownloadContentAsync(cancellationToken);
            return (content.Value.Content.ToObjectFromJson<Health>(JsonSerializerOptions.Web), content.Value.Details.ETag);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return (null, default);
        }
    }

    private Azure.Storage.Blobs.BlobClient HealthBlob(string step) => store.Runtime.GetBlobClient($"health/{step}.json");

    private sealed record Health(DateTimeOffset Since, int Failures, string LastError);
}
