using Camrelizumab.Safety.Storage.Pipeline;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Camrelizumab.Safety.Functions;

/// <summary>Timer trigger (app setting ReconcileInboxSchedule, hourly at :30 by default): ingest what the blob trigger missed.</summary>
public sealed partial class ReconcileInboxFunction(ReconcileInbox reconcile, OperationsAlarm alarm, ILogger<ReconcileInboxFunction> logger)
{
    public const string ScheduleSetting = "ReconcileInboxSchedule";

    [Function(nameof(ReconcileInbox))]
    public async Task RunAsync([TimerTrigger($"%{ScheduleSetting}%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var outcomes = await alarm.WatchAsync(nameof(ReconcileInbox), reconcile.RunAsync, cancellationToken);
        LogRun(logger, outcomes.Count, timer.IsPastDue);
    }

    [LoggerMessage(9004, LogLevel.Information, "Inbox reconciled: {Ingested} missed file(s) ingested (past due: {PastDue})")]
    private static partial void LogRun(ILogger logger, int ingested, bool pastDue);
}
