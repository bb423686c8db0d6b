using Camrelizumab.Safety.Storage.Mail;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Camrelizumab.Safety.Functions;

/// <summary>
/// Timer trigger (app setting DeliverOutboxSchedule, every 15 seconds by default): sends what the other functions
/// reserved in the outbox. Ingest and evaluation never wait for the mail server; a hung or dead one delays mail only.
/// </summary>
public sealed partial class DeliverOutboxFunction(Notifier notifier, ILogger<DeliverOutboxFunction> logger)
{
    public const string ScheduleSetting = "DeliverOutboxSchedule";

    [Function("DeliverOutbox")]
    public async Task RunAsync([TimerTrigger($"%{ScheduleSetting}%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var run = await notifier.DeliverDueAsync(cancellationToken);
        if (run.Sent + run.Failed > 0)
        {
            LogRun(logger, run.Sent, run.Failed, run.NotDue, timer.IsPastDue);
        }
    }

    [LoggerMessage(9006, LogLevel.Information, "Outbox: {Sent} message(s) sent, {Failed} failed (retried after a back-off), {NotDue} not due (past due: {PastDue})")]
    private static partial void LogRun(ILogger logger, int sent, int failed, int notDue, bool pastDue);
}
