using Camrelizumab.Safety.Storage.Pipeline;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Camrelizumab.Safety.Functions;

/// <summary>Timer trigger (app setting EvaluateStoppingRulesSchedule, hourly by default): evaluate rules, reserve alerts
/// (DeliverOutbox sends them). A failing run tells the operators once (<see cref="OperationsAlarm"/>).</summary>
public sealed partial class EvaluateStoppingRulesFunction(EvaluateStoppingRules evaluate, OperationsAlarm alarm, ILogger<EvaluateStoppingRulesFunction> logger)
{
    public const string ScheduleSetting = "EvaluateStoppingRulesSchedule";

    [Function(nameof(EvaluateStoppingRules))]
    public async Task RunAsync([TimerTrigger($"%{ScheduleSetting}%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var run = await alarm.WatchAsync(nameof(EvaluateStoppingRules), evaluate.RunAsync, cancellationToken);
        LogRun(logger, run.Evaluation.EvaluationId, run.NewAlerts.Count, timer.IsPastDue);
    }

    [LoggerMessage(9002, LogLevel.Information, "Evaluation {EvaluationId}: {NewAlerts} new alert(s) reserved (past due: {PastDue})")]
    private static partial void LogRun(ILogger logger, string evaluationId, int newAlerts, bool pastDue);
}
