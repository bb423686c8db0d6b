using Camrelizumab.Safety.Storage.Pipeline;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Camrelizumab.Safety.Functions;

/// <summary>Timer trigger (app setting PublishDsmbSummarySchedule, Mondays 06:00 UTC by default): publish the DSMB summary.</summary>
public sealed partial class PublishDsmbSummaryFunction(PublishDsmbSummary publish, TimeProvider timeProvider, ILogger<PublishDsmbSummaryFunction> logger)
{
    [Function(nameof(PublishDsmbSummary))]
    public async Task RunAsync([TimerTrigger("%PublishDsmbSummarySchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        // The occurrence, to the minute, names the report, so a re-run in the same minute overwrites its own output.
        var now = timeProvider.GetUtcNow();
        var occurrence = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero);
        var blob = await publish.RunAsync(occurrence, cancellationToken);
        LogPublished(logger, blob, timer.IsPastDue);
    }

    [LoggerMessage(9003, LogLevel.Information, "DSMB summary {BlobName} published (past due: {PastDue})")]
    private static partial void LogPublished(ILogger logger, string blobName, bool pastDue);
}
