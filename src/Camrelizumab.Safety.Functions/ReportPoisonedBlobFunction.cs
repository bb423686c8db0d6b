using Camrelizumab.Safety.Storage.Pipeline;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Camrelizumab.Safety.Functions;

/// <summary>Queue trigger on the host's blob-trigger poison queue: tell the data managers a file was not ingested.</summary>
public sealed partial class ReportPoisonedBlobFunction(ReportPoisonedBlob report, ILogger<ReportPoisonedBlobFunction> logger)
{
    [Function(nameof(ReportPoisonedBlob))]
    public async Task RunAsync(
        [QueueTrigger(ReportPoisonedBlob.PoisonQueue, Connection = SafetyFunctionsHost.StorageConnection)] string message,
        CancellationToken cancellationToken)
    {
        var alertId = await report.RunAsync(message, cancellationToken);
        LogReported(logger, alertId);
    }

    [LoggerMessage(9005, LogLevel.Information, "Poisoned blob reported to the data managers as {AlertId}")]
    private static partial void LogReported(ILogger logger, string alertId);
}
