using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Camrelizumab.Safety.Runner.Demo;
using Camrelizumab.Safety.Testing;

namespace Camrelizumab.Safety.Runner.Tests;

/// <summary>
/// A data manager and a safety physician following the README with <c>safety run</c> running (its own Azurite on a
/// data folder, mail to maildev): drop files, read the receipt, evaluate now, see the alert, acknowledge it, and the
/// acknowledgement stops its escalation while the unacknowledged alerts are escalated. Every command is a process.
/// </summary>
public sealed class LocalWorkflowTests(MaildevFixture maildev)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SafetyRun_DropReceiptAlertAck_TheAcknowledgementStopsTheEscalation()
    {
        // Arrange
        var work = Directory.CreateTempSubdirectory("local-workflow-").FullName;
        var data = Path.Combine(work, "data");
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var escalation = $"escalation-{suffix}@example.org";
        var environment = new Dictionary<string, string>
        {
            ["SAFETY_Mail__Smtp__Host"] = "127.0.0.1",
            ["SAFETY_Mail__Smtp__Port"] = maildev.SmtpPort.ToString(CultureInfo.InvariantCulture),
            ["SAFETY_Mail__Smtp__Security"] = "None",
            ["SAFETY_Mail__Recipients__safetyPhysicians__0"] = $"physician-{suffix}@example.org",
            ["SAFETY_Mail__Recipients__dsmb__0"] = $"dsmb-{suffix}@example.org",
            ["SAFETY_Mail__Recipients__dsmb__1"] = $"dsmb-{suffix}@example.org",
            ["SAFETY_Mail__Recipients__dataManagers__0"] = $"dm-{suffix}@example.org",
            ["SAFETY_Mail__Recipients__escalation__0"] = escalation,
            ["SAFETY_Mail__EscalateAfterHours"] = "0.001", // 3.6 s
            ["SAFETY_Runner__PollSeconds"] = "0.5",
        };
        var dataset = DemoDataset.Generate(DateOnly.FromDateTime(DateTime.UtcNow));
        await File.WriteAllTextAsync(Path.Combine(work, "roster.csv"), dataset.Roster, Ct);
        await File.WriteAllTextAsync(Path.Combine(work, "ae-export.csv"), dataset.AdverseEvents, Ct);

        using var run = Start(environment, work, "run", "--data", data);
        try
        {
            await WaitForAsync(() => File.Exists(Path.Combine(data, "safety-run.json")), TimeSpan.FromSeconds(120), run);

            // Act and assert, step by step as the README tells it.
            var second = await RunAsync(environment, work, "run", "--data", data);
            Assert.Equal(2, second.Exit);
            Assert.Contains("already running on data folder", second.Error, StringComparison.Ordinal);

            var drop = await RunAsync(environment, work, "drop", Path.Combine(work, "roster.csv"), "--data", data);
            Assert.Equal(0, drop.Exit);
            Assert.Contains("Dropped roster.csv as ae-inbox/roster.csv", drop.Output, StringComparison.Ordinal);
            await WaitForReceiptAsync(environment, work, data, "roster.csv", run);
            Assert.Equal(0, (await RunAsync(environment, work, "drop", Path.Combine(work, "ae-export.csv"), "--data", data)).Exit);
            var receipt = await WaitForReceiptAsync(environment, work, data, "ae-export.csv", run);
            Assert.Contains("ae-export.csv (sha256", receipt, StringComparison.Ordinal);
            Assert.Contains("processed at", receipt, StringComparison.Ordinal);

            var list = await RunAsync(environment, work, "receipts", "--data", data);
            Assert.Contains("2 receipt(s)", list.Output, StringComparison.Ordinal);

            var evaluate = await RunAsync(environment, work, "evaluate", "--data", data);
            Assert.Equal(1, evaluate.Exit); // a rule is crossed
            Assert.Contains("fistula-camrt.camrt.1", evaluate.Output, StringComparison.Ordinal);

            var alerts = await RunAsync(environment, work, "alerts", "--unacknowledged", "--data", data);
            Assert.Equal(0, alerts.Exit);
            Assert.Contains("fistula-camrt.camrt.1", alerts.Output, StringComparison.Ordinal);

            var ack = await RunAsync(environment, work, "ack", "FISTULA-CAMRT.CAMRT.1", "--by", "Dr Chen", "--data", data);
            Assert.Equal(0, ack.Exit);
            Assert.Contains("Acknowledged fistula-camrt.camrt.1 as Dr Chen", ack.Output, StringComparison.Ordinal);
            var again = await RunAsync(environment, work, "ack", "fistula-camrt.camrt.1", "--by", "Dr Li", "--data", data);
            Assert.Contains("already acknowledged by Dr Chen at", again.Output, StringComparison.Ordinal);

            var stillOpen = await RunAsync(environment, work, "alerts", "--unacknowledged", "--data", data);
            Assert.DoesNotContain("fistula-camrt.camrt.1", stillOpen.Output, StringComparison.Ordinal);

            await Task.Delay(TimeSpan.FromSeconds(4), Ct);
            Assert.Equal(1, (await RunAsync(environment, work, "evaluate", "--data", data)).Exit);
            // Every other new crossing alert is escalated; the acknowledged one is not. The escalation role is not a
            // closed role, so an escalation's Message-ID is escalation.<blinded reference of the alert id>@…
            // (AlertEmail.ComposeBlindedEscalation): no arm in it.
            var crossings = Regex.Match(evaluate.Output, @"new alert\(s\) \(([^)]*)\)").Groups[1].Value.Split(", ");
            // safety run's own delivery loop may hold the lease on an escalation when the command delivers, and send
            // it a moment after the command returns: give it a few seconds before reading the mailbox.
            async Task<HashSet<string>> EscalatedAsync() => (await SourcesToAsync(escalation))
                .Select(m => Regex.Match(m, "^Message-Id: <escalation\\.(.+)@", RegexOptions.Multiline | RegexOptions.IgnoreCase).Groups[1].Value)
                .ToHashSet();
            var escalated = await EscalatedAsync();
            for (var wait = 0; wait < 30 && crossings.Any(c => c != "fistula-camrt.camrt.1" && !escalated.Contains(Core.Alerts.AlertEmail.BlindedReference(c))); wait++)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), Ct);
                escalated = await EscalatedAsync();
            }

            Assert.Contains("fistula-camrt.camrt.1", crossings);
            Assert.True(crossings.Length > 1, evaluate.Output);
            Assert.DoesNotContain(Core.Alerts.AlertEmail.BlindedReference("fistula-camrt.camrt.1"), escalated);
            Assert.All(crossings.Where(c => c != "fistula-camrt.camrt.1"), c => Assert.Contains(Core.Alerts.AlertEmail.BlindedReference(c), escalated));
        }
        finally
        {
            await StopAsync(run);
        }

        Assert.False(File.Exists(Path.Combine(data, "safety-run.json")));
        var after = await RunAsync(environment, work, "alerts", "--data", data);
        Assert.Equal(2, after.Exit);
        Assert.Contains("no safety run is running", after.Error, StringComparison.Ordinal);
    }

    private static async Task<string> WaitForReceiptAsync(Dictionary<string, string> environment, string work, string data, string name, Process run)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var receipt = await RunAsync(environment, work, "receipts", name, "--data", data);
            if (receipt.Exit == 0)
            {
                return receipt.Output;
            }

            Assert.True(DateTime.UtcNow < deadline && !run.HasExited, $"no receipt for {name}: {receipt.Error}");
            await Task.Delay(500, Ct);
        }
    }

    private async Task<List<string>> SourcesToAsync(string recipient)
    {
        var result = new List<string>();
        foreach (var message in await maildev.MessagesAsync(Ct))
        {
            if (message.GetProperty("envelope").GetProperty("to").EnumerateArray().Any(t => t.GetProperty("address").GetString() == recipient))
            {
                result.Add(await maildev.SourceAsync(message.GetProperty("id").GetString()!, Ct));
            }
        }

        return result;
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout, Process run)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.False(run.HasExited, "safety run exited");
            Assert.True(DateTime.UtcNow < deadline, "safety run did not start in time");
            await Task.Delay(250, Ct);
        }
    }

    private static Process Start(IReadOnlyDictionary<string, string> environment, string workingDirectory, params string[] arguments) =>
        SafetyProcess.Start(environment, workingDirectory, arguments);

    private static Task<(int Exit, string Output, string Error)> RunAsync(IReadOnlyDictionary<string, string> environment, string workingDirectory, params string[] arguments) =>
        SafetyProcess.RunAsync(environment, workingDirectory, arguments);

    /// <summary>SIGTERM, as a service manager stops it: the run stops its Azurite and removes its state file.</summary>
    private static async Task StopAsync(Process run)
    {
        if (!run.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", run.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(CancellationToken.None);
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await run.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                run.Kill(entireProcessTree: true);
            }
        }
    }
}
