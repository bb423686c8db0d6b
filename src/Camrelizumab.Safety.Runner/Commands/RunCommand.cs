using System.CommandLine;
using Camrelizumab.Safety.Runner.CommandLine;
using Camrelizumab.Safety.Runner.Hosting;
using Camrelizumab.Safety.Storage.Local;
using Camrelizumab.Safety.Storage.Mail;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Camrelizumab.Safety.Runner.Commands;

/// <summary>
/// <c>safety run</c>: the pipeline as a long-running local service. Watches <c>ae-inbox</c>, runs both timers on their
/// schedules and delivers the outbox in a loop of its own, until Ctrl+C. Without a connection string it starts Azurite with its data in <c>--data</c>. It holds the
/// data folder for as long as it runs and writes down where its storage is, so the one-off commands use it instead of
/// starting a second emulator on the same folder.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "Folder for Azurite's data and the run's state (safety-run.json)", DefaultValueFactory = _ => new DirectoryInfo(".safety-data") };
        var connection = new Option<string?>("--connection-string") { Description = $"A storage connection string (otherwise {StorageTarget.ConnectionStringVariable}, else a local Azurite)" };
        var command = new Command("run", "Watch ae-inbox and run the timers until stopped.") { data, connection };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(data)!, parse.GetValue(connection), ct));
        return command;
    }

    private static async Task<int> RunAsync(DirectoryInfo data, string? connectionString, CancellationToken cancellationToken)
    {
        connectionString ??= Environment.GetEnvironmentVariable(StorageTarget.ConnectionStringVariable);
        using var folder = RunState.Lock(data);
        AzuriteProcess? azurite = null;
        var ownStorage = string.IsNullOrWhiteSpace(connectionString);
        if (ownStorage)
        {
            azurite = await AzuriteProcess.StartAsync(Path.Combine(data.FullName, "azurite"), install: true, cancellationToken);
            connectionString = azurite.ConnectionString;
        }

        try
        {
            await using var runtime = await SafetyRuntime.StartAsync(
                new Dictionary<string, string?> { ["Storage:ConnectionString"] = connectionString },
                LogLevel.Information,
                cancellationToken);
            var mail = runtime.Services.GetRequiredService<MailOptions>();
            var state = new RunState(
                Environment.ProcessId,
                runtime.Services.GetRequiredService<TimeProvider>().GetUtcNow(),
                data.FullName,
                ownStorage ? connectionString : null,
                runtime.Store.Blobs.Uri.ToString(),
                runtime.Store.Names.Inbox,
                string.IsNullOrWhiteSpace(mail.Smtp.Host) ? Path.GetFullPath(mail.PickupDirectory) : $"SMTP {mail.Smtp.Host}:{mail.Smtp.Port}");
            state.Write();
            try
            {
                PrintBanner(state, runtime);

                // Mail goes out from its own loop: a hung or dead mail server delays mail, never ingest or evaluation.
                using var stopDelivery = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var delivery = DeliverAsync(runtime, stopDelivery.Token);
                try
                {
                    using var ticks = new PeriodicTimer(TimeSpan.FromSeconds(runtime.Options.PollSeconds));
                    do
                    {
                        await PollAsync(runtime.Watcher, cancellationToken);
                        await TickAsync(runtime.EvaluateTimer, cancellationToken);
                        await TickAsync(runtime.PublishTimer, cancellationToken);
                    }
                    while (await ticks.WaitForNextTickAsync(cancellationToken));
                }
                finally
                {
                    await stopDelivery.CancelAsync();
                    await delivery;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Console.Error.WriteLine("Stopped.");
            }
            finally
            {
                state.Remove();
            }

            return SafetyCommandLine.Ok;
        }
        finally
        {
            if (azurite is not null)
            {
                await azurite.DisposeAsync();
            }
        }
    }

    /// <summary>Everything a data manager needs to work with the running service, before the first log line.</summary>
    private static void PrintBanner(RunState state, SafetyRuntime runtime)
    {
        var data = Path.GetFullPath(".safety-data") == state.DataFolder ? "" : $" --data {state.DataFolder}";
        var mailTo = state.MailFolder.StartsWith("SMTP ", StringComparison.Ordinal) ? state.MailFolder : $"{state.MailFolder} (one .eml file per message)";
        Console.WriteLine($"""
            safety run is watching {state.Inbox} (process {state.ProcessId}); press Ctrl+C to stop.
              data folder   {state.DataFolder}
              storage       {state.BlobEndpoint}
              connection    {state.ConnectionString ?? "the connection string you gave (not written down)"}
              drop a file   safety drop FILE...{data}  [--site SITE]
              receipts      safety receipts{data}
              alerts        safety alerts{data}   then   safety ack ID{data}
              evaluate now  safety evaluate{data}
              mail          {mailTo}
              schedules     evaluation {runtime.Options.EvaluateStoppingRulesSchedule}, DSMB summary {runtime.Options.PublishDsmbSummarySchedule} (NCRONTAB, UTC)
            """);
    }

    /// <summary>Sends what the steps reserved, every poll interval, until stopped.</summary>
    private static async Task DeliverAsync(SafetyRuntime runtime, CancellationToken cancellationToken)
    {
        using var ticks = new PeriodicTimer(TimeSpan.FromSeconds(runtime.Options.PollSeconds));
        try
        {
            do
            {
                try
                {
                    await runtime.Outbox.DeliverDueAsync(cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Storage unreachable: the outbox is where it was, and the next tick tries again.
                    Console.Error.WriteLine($"Delivery failed: {Inputs.Reason(ex)}");
                }
            }
            while (await ticks.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    private static async Task PollAsync(InboxWatcher watcher, CancellationToken cancellationToken)
    {
        try
        {
            await watcher.PollAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Listing the inbox failed (storage unreachable): the next poll lists it again.
            Console.Error.WriteLine($"Inbox poll failed: {Inputs.Reason(ex)}");
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
            Console.Error.WriteLine($"{timer.Name} failed: {Inputs.Reason(ex)}");
        }
    }
}
