using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Cronos;
using Microsoft.Extensions.Logging;

namespace Camrelizumab.Safety.Runner.Hosting;

/// <summary>
/// A timer with the Functions TimerTrigger semantics: a six-field cron schedule in UTC; one instance at a time, held by
/// a blob lease; the last and next occurrence kept in a status blob; and after missed occurrences (the runner was
/// stopped) one catch-up run marked past due, not one run per missed occurrence. A failed run is retried after a
/// back-off (1 minute, doubling, at most 30 minutes, never later than the next occurrence), not on every poll.
/// </summary>
public sealed class ScheduledTimer
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(60);
    private readonly string _name;
    private readonly CronExpression _schedule;
    private readonly string _scheduleText;
    private readonly Func<DateTimeOffset, CancellationToken, Task> _run;
    private readonly BlobContainerClient _runtime;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public ScheduledTimer(string name, string schedule, Func<DateTimeOffset, CancellationToken, Task> run, BlobContainerClient runtime, TimeProvider timeProvider, ILogger logger)
    {
        _name = name;
        _schedule = CronExpression.Parse(schedule, CronFormat.IncludeSeconds);
        _scheduleText = schedule;
        _run = run;
        _runtime = runtime;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public string Name => _name;

    /// <summary>Runs the timer if an occurrence is due; returns true when it ran.</summary>
    public async Task<bool> TickAsync(CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow();
        var status = await ReadStatusAsync(cancellationToken);
        if (status is null)
        {
            await WriteStatusAsync(new TimerStatus(null, Next(now), _scheduleText), cancellationToken);
            return false;
        }

        // A changed schedule counts from now, not from the occurrence kept under the old one (which may be far off).
        if (status.Schedule is { } old && old != _scheduleText)
        {
            var next = Next(now);
            Log.TimerScheduleChanged(_logger, _name, old, _scheduleText, next);
            await WriteStatusAsync(new TimerStatus(status.Last, next, _scheduleText), cancellationToken);
            return false;
        }

        if (status.Next > now)
        {
            return false;
        }

        var pastDue = Next(status.Next) <= now;
        bool ran;
        try
        {
            ran = await RunUnderLeaseAsync(status.Occurrence ?? status.Next, pastDue, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The occurrence stays due, but is not retried before the back-off: a run that fails on bad data or a dead
            // dependency must not run again every few seconds.
            var failures = status.Failures + 1;
            var retry = _timeProvider.GetUtcNow() + RetryDelay(failures);
            var next = Next(now);
            await WriteStatusAsync(status with { Next = retry < next ? retry : next, Failures = failures, Occurrence = status.Occurrence ?? status.Next }, cancellationToken);
            Log.TimerBackingOff(_logger, _name, failures, retry);
            throw;
        }

        if (ran)
        {
            await WriteStatusAsync(new TimerStatus(status.Occurrence ?? status.Next, Next(now), _scheduleText), cancellationToken);
        }

        return ran;
    }

    /// <summary>Back-off after the n-th failed run in a row: 1 minute, doubling, at most 30 minutes.</summary>
    public static TimeSpan RetryDelay(int failures) => TimeSpan.FromMinutes(Math.Min(Math.Pow(2, Math.Max(0, failures - 1)), 30));

    /// <summary>Runs now for the given occurrence, under the lease, leaving the schedule as it is (like the host's "run now").</summary>
    public Task<bool> TriggerAsync(DateTimeOffset scheduledTime, CancellationToken cancellationToken) =>
        RunUnderLeaseAsync(scheduledTime, false, cancellationToken);

    private async Task<bool> RunUnderLeaseAsync(DateTimeOffset scheduledTime, bool pastDue, CancellationToken cancellationToken)
    {
        var lockBlob = _runtime.GetBlobClient($"locks/{_name}");
        try
        {
            await lockBlob.UploadAsync(BinaryData.Empty, new Azure.Storage.Blobs.Models.BlobUploadOptions { Conditions = new() { IfNoneMatch = ETag.All } }, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // The lock blob exists already.
        }

        var lease = lockBlob.GetBlobLeaseClient();
        try
        {
            await lease.AcquireAsync(LeaseDuration, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            Log.TimerLeaseBusy(_logger, _name);
            return false;
        }

        try
        {
            Log.TimerRunning(_logger, _name, scheduledTime, pastDue);
            using var renew = new PeriodicTimer(LeaseDuration / 3, _timeProvider);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var renewing = RenewAsync(lease, renew, stop.Token);
            try
            {
                await _run(scheduledTime, cancellationToken);
            }
            finally
            {
                await stop.CancelAsync();
                await renewing;
            }

            return true;
        }
        finally
        {
            await lease.ReleaseAsync(cancellationToken: CancellationToken.None);
        }
    }

    private static async Task RenewAsync(BlobLeaseClient lease, PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await lease.RenewAsync(cancellationToken: cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The run finished.
        }
    }

    private DateTimeOffset Next(DateTimeOffset after) =>
        _schedule.GetNextOccurrence(after, TimeZoneInfo.Utc) ?? throw new InvalidOperationException($"Schedule of {_name} has no next occurrence.");

    private async Task<TimerStatus?> ReadStatusAsync(CancellationToken cancellationToken)
    {
        var blob = _runtime.GetBlobClient($"timers/{_name}.status.json");
        try
        {
            var content = await blob.DownloadContentAsync(cancellationToken);
            return content.Value.Content.ToObjectFromJson<TimerStatus>(JsonSerializerOptions.Web);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    private async Task WriteStatusAsync(TimerStatus status, CancellationToken cancellationToken)
    {
        await _runtime.GetBlobClient($"timers/{_name}.status.json").UploadAsync(BinaryData.FromObjectAsJson(status, JsonSerializerOptions.Web), overwrite: true, cancellationToken);
        Log.TimerScheduled(_logger, _name, status.Next);
    }

    /// <param name="Schedule">The schedule <see cref="Next"/> was computed under; <c>null</c> in status blobs written before it was kept.</param>
    /// <param name="Failures">Failed runs in a row of the occurrence that is due.</param>
    /// <param name="Occurrence">While retrying after failures: the scheduled occurrence being retried (<see cref="Next"/> is the retry time).</param>
    private sealed record TimerStatus(DateTimeOffset? Last, DateTimeOffset Next, string? Schedule, int Failures = 0, DateTimeOffset? Occurrence = null);
}
