using Microsoft.Extensions.Logging;

namespace Camrelizumab.Safety.Runner;

/// <summary>The runner's log messages, with stable event ids.</summary>
internal static partial class Log
{
    [LoggerMessage(5001, LogLevel.Warning, "Ingest of {BlobName} failed ({Failures} so far); retrying in {DelaySeconds:0.#} s")]
    public static partial void IngestWillRetry(ILogger logger, string blobName, int failures, double delaySeconds);

    [LoggerMessage(5002, LogLevel.Information, "Timer {Name} running for {ScheduledTime:O} (past due: {PastDue})")]
    public static partial void TimerRunning(ILogger logger, string name, DateTimeOffset scheduledTime, bool pastDue);

    [LoggerMessage(5003, LogLevel.Information, "Timer {Name} skipped: another instance holds its lease")]
    public static partial void TimerLeaseBusy(ILogger logger, string name);

    [LoggerMessage(5007, LogLevel.Warning, "Timer {Name} failed {Failures} time(s) in a row; next try {Retry:O}")]
    public static partial void TimerBackingOff(ILogger logger, string name, int failures, DateTimeOffset retry);

    [LoggerMessage(5005, LogLevel.Information, "Timer {Name} next occurrence {Next:O}")]
    public static partial void TimerScheduled(ILogger logger, string name, DateTimeOffset next);

    [LoggerMessage(5006, LogLevel.Warning, "Timer {Name} schedule changed from '{Old}' to '{New}'; next occurrence {Next:O}")]
    public static partial void TimerScheduleChanged(ILogger logger, string name, string old, string @new, DateTimeOffset next);
}
