using System.CommandLine;
using Camrelizumab.Safety.Runner.Hosting;
using Camrelizumab.Safety.Storage.Local;
using Microsoft.Extensions.Logging;

namespace Camrelizumab.Safety.Runner.Commands;

/// <summary>
/// <c>safety run</c>: the pipeline as a long-running local service. Watches <c>ae-inbox</c> and runs both timers on their
/// schedules until Ctrl+C. Without a connection string it starts Azurite with its data in <c>--data</c>.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "Folder for Azurite's data when no connection string is configured", DefaultValueFactory = _ => new DirectoryInfo(".safety-data") };
        var connection = new Option<string?>("--connection-string") { Description = "A storage connection string (otherwise Storage:ConnectionString or SAFETY_Storage__ConnectionString, else a local Azurite)" };
        var command = new Command("run", "Watch ae-inbox and run the timers until stopped.") { data, connection };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(data)!, parse.GetValue(connection), ct));
        return command;
    }

    private static async Task<int> RunAsync(DirectoryInfo data, string? connectionString, CancellationToken cancellationToken)
    {
        connectionString ??= Environment.GetEnvironmentVariable("SAFETY_Storage__ConnectionString");
        AzuriteProcess? azurite = null;
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            azurite = await AzuriteProcess.StartAsync(Path.Combine(data.FullName, "azurite"), install: true, cancellationToken);
            connectionString = azurite.ConnectionString;
            Console.Error.WriteLine($"Azurite: blob 127.0.0.1:{azurite.BlobPort}, table 127.0.0.1:{azurite.TablePort}, data in {data.FullName}");
        }

        try
        {
            await using var runtime = await SafetyRuntime.StartAsync(
                new Dictionary<string, string?> { ["Storage:ConnectionString"] = connectionString },
                LogLevel.Information,
                cancellationToken);
            Console.Error.WriteLine("Watching ae-inbox; press Ctrl+C to stop.");
            using var ticks = new PeriodicTimer(TimeSpan.FromSeconds(runtime.Options.PollSeconds));
            try
            {
                do
                {
                    await runtime.Watcher.PollAsync(cancellationToken);
                    await TickAsync(runtime.EvaluateTimer, cancellationToken);
                    await TickAsync(runtime.PublishTimer, cancellationToken);
                }
                while (await ticks.WaitForNextTickAsync(cancellationToken));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Console.Error.WriteLine("Stopped.");
            }

            return 0;
        }
        finally
        {
            if (azurite is not null)
            {
                await azurite.DisposeAsync();
            }
        }
    }

    private static async Task TickAsync(ScheduledTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            await timer.TickAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A failed timer run is logged by the step; like the Functions host, the runner stays up for the next occurrence.
            Console.Error.WriteLine($"{timer.Name} failed: {ex.Message}");
        }
    }
}
