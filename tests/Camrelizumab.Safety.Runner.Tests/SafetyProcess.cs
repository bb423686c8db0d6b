using System.Diagnostics;
using System.Text;
using Camrelizumab.Safety.Runner.Hosting;

namespace Camrelizumab.Safety.Runner.Tests;

/// <summary>The <c>safety</c> command as a user runs it: a separate process, arguments in, text and exit code out.</summary>
internal static class SafetyProcess
{
    public static Process Start(IReadOnlyDictionary<string, string>? environment, string? workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        start.ArgumentList.Add(typeof(SafetyRuntime).Assembly.Location);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Storage comes from the arguments, never from the environment the tests run in.
        start.Environment.Remove(StorageTarget.ConnectionStringVariable);
        start.Environment["COLUMNS"] = "300";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return Process.Start(start)!;
    }

    public static async Task<(int Exit, string Output, string Error)> RunAsync(IReadOnlyDictionary<string, string>? environment, string? workingDirectory, params string[] arguments)
    {
        using var process = Start(environment, workingDirectory, arguments);
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await output, await error);
    }
}
