using Camrelizumab.Safety.Storage.Pipeline;
using Cronos;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Camrelizumab.Safety.Functions;

/// <summary>Timer trigger (app setting PublishDsmbSummarySchedule, Mondays 06:00 UTC by default): publish the DSMB summary.</summary>
public sealed partial class PublishDsmbSummaryFunction(PublishDsmbSummary publish, OperationsAlarm alarm, IConfiguration configuration, TimeProvider timeProvider, ILogger<PublishDsmbSummaryFunction> logger)
{
    public const string ScheduleSetting = "PublishDsmbSummarySchedule";

    /// <summary>The host's timer fires on its own clock; a run this early still belongs to the occurrence it was fired for.</summary>
    private static readonly TimeSpan ClockTolerance = TimeSpan.FromSeconds(5);

    [Function(nameof(PublishDsmbSummary))]
    public async Task RunAsync([TimerTrigger($"%{ScheduleSetting}%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var occurrence = ScheduledOccurrence(configuration[ScheduleSetting], timeProvider.GetUtcNow());
        var published = await alarm.WatchAsync(nameof(PublishDsmbSummary), ct => publish.RunAsync(occurrence, ct), cancellationToken);
        LogPublished(logger, published.ClosedBlob, published.OpenBlob, occurrence, timer.IsPastDue);
    }

    /// <summary>
    /// The occurrence of the schedule this run belongs to: the latest at or before now. It names the reports and the
    /// summary email, as the runner's timers do, so a catch-up or repeated run for the same occurrence overwrites its
    /// own reports and never sends the email twice.
    /// </summary>
    internal static DateTimeOffset ScheduledOccurrence(string? schedule, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(schedule))
        {
            throw new InvalidOperationException($"{ScheduleSetting} is not set.");
        }

        var cron = CronExpression.Parse(schedule, CronFormat.IncludeSeconds);
        var until = now + ClockTolerance;
        var occurrences = cron.GetOccurrences(until.AddDays(-366), until, TimeZoneInfo.Utc, fromInclusive: true, toInclusive: true);
        return occurrences.LastOrDefault() is { } last && last != default
            ? last
            : throw new InvalidOperationException($"{ScheduleSetting} '{schedule}' has no occurrence in the year before {now:O}.");
    }

    [LoggerMessage(9003, LogLevel.Information, "DSMB summary for {Occurrence:O} published: {ClosedBlob}, {OpenBlob} (past due: {PastDue})")]
    private static partial void LogPublished(ILogger logger, string closedBlob, string openBlob, DateTimeOffset occurrence, bool pastDue);
}
