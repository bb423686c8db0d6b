using Camrelizumab.Safety.Storage.Pipeline;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Camrelizumab.Safety.Functions;

/// <summary>Timer trigger (app setting EvaluateStoppingRulesSchedule, hourly by default): evaluate rules, send alerts.</summary>
public sealed partial class EvaluateStoppingRulesFunction(EvaluateStoppingRules evaluate, ILogger<EvaluateStoppingRulesFunction> logger)
{
    public const string ScheduleSetting = "EvaluateStoppingRulesSchedule";

    [Function(nameof(EvaluateStoppingRules))]
    public async Task RunAsync([TimerTrigger($"%{ScheduleSetting}%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var run = await evaluate.RunAsync(cancellationToken);
        LogRun(logger, run.Evaluation.EvaluationId, run.NewAlerts.Count, run.MessagesSent, timer.IsPastDue);
    }

    [LoggerMessage(9002, LogLevel.Information, "Evaluation {EvaluationId}: {NewAlerts} new alert(s), {Sent} message(s) sent (past due: {PastDue})")]
    private static partial void LogRun(ILogger logger, string evaluationId, int newAlerts, int sent, bool pastDue);
}
