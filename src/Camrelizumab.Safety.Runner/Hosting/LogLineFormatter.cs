using Camrelizumab.Safety.Runner.CommandLine;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Camrelizumab.Safety.Runner.Hosting;

/// <summary>
/// One line per log entry for the people watching <c>safety run</c>: UTC time, level, source and message. A warning's
/// exception (a file that failed and will be retried) adds its message, not its stack; errors keep the stack, which is
/// what a bug report needs.
/// </summary>
internal sealed class LogLineFormatter(TimeProvider timeProvider) : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "safety-line";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        var category = logEntry.Category[(logEntry.Category.LastIndexOf('.') + 1)..];
        var level = logEntry.LogLevel switch
        {
            LogLevel.Trace => "trace",
            LogLevel.Debug => "debug",
            LogLevel.Information => "info",
            LogLevel.Warning => "WARN",
            LogLevel.Error => "ERROR",
            _ => "CRITICAL",
        };
        textWriter.Write($"{timeProvider.GetUtcNow():yyyy-MM-dd HH:mm:ss}Z {level} {category}: {message}");
        if (logEntry.Exception is { } exception)
        {
            textWriter.Write(logEntry.LogLevel <= LogLevel.Warning ? $" ({Inputs.Reason(exception)})" : $"{Environment.NewLine}{exception}");
        }

        textWriter.WriteLine();
    }
}
