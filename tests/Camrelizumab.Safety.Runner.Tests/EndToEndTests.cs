using System.Globalization;
using System.Text;
using Camrelizumab.Safety.Core.Stopping;
using Camrelizumab.Safety.Runner.Demo;
using Camrelizumab.Safety.Runner.Hosting;
using Camrelizumab.Safety.Storage.Pipeline;
using Camrelizumab.Safety.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Camrelizumab.Safety.Runner.Tests;

/// <summary>The whole pipeline through the runner's trigger path, on Azurite, with mail to a real SMTP server.</summary>
public sealed class EndToEndTests(AzuriteFixture azurite, MaildevFixture maildev)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DroppedFiles_SendOneAlertEmailAndPublishSummary_AndTheSameFileAgainSendsNothing()
    {
        // Arrange
        var suffix = AzuriteFixture.NewSuffix();
        var recipient = $"dsmb-{suffix}@example.org";
        await using var runtime = await SafetyRuntime.StartAsync(Settings(suffix, recipient), LogLevel.Warning, Ct, new FakeTimeProvider(Now));
        var data = DemoDataset.Generate(DateOnly.FromDateTime(Now.UtcDateTime));
        await Upload(runtime, "site-bj01/roster.csv", data.Roster);
        await Upload(runtime, "site-bj01/ae-export.csv", data.AdverseEvents);

        // Act
        var ingested = await runtime.Watcher.DrainAsync(Ct);
        await runtime.EvaluateTimer.TriggerAsync(Now, Ct);
        var evaluation = runtime.LastEvaluation!;
        await runtime.PublishTimer.TriggerAsync(Now, Ct);

        // Assert: ingest
        Assert.All(ingested, o => Assert.Equal(IngestStatus.Processed, o.Status));
        Assert.All(ingested, o => Assert.Equal(o.Report!.RowsRead, o.Report.RowsAccepted + o.Report.RowsRejected));

        // Assert: only the combination arm crosses (fistula, and the treatment-related death on its 1/1 boundary),
        // and each crossing's alert arrived by SMTP once, with arm, rule, counts and boundary.
        var crossings = evaluation.Evaluation.Evaluations.Where(e => e.Status == RuleStatus.Crossed).ToList();
        Assert.Equal(["fistula-camrt", "tr-death-camrt"], crossings.Select(c => c.Rule.Id).Order());
        var all = await MessagesTo(recipient);
        var mail = all.Where(m => m.Subject.Contains("Stopping rule crossed", StringComparison.Ordinal)).ToList();
        Assert.Equal(crossings.Count, mail.Count);
        Assert.Contains(all, m => m.Subject.Contains("EXPEDITED: Treatment-related death", StringComparison.Ordinal));
        Assert.Contains(all, m => m.Subject.Contains("EXPEDITED: SUSAR candidate", StringComparison.Ordinal) && m.Subject.Contains("Guillain-Barre", StringComparison.Ordinal));
        Assert.Single(all, m => m.Subject.Contains("DSMB safety summary", StringComparison.Ordinal));
        foreach (var crossed in crossings)
        {
            var alert = Assert.Single(mail, m => m.Subject.Contains(crossed.Rule.Title, StringComparison.Ordinal));
            Assert.Contains("arm Camrelizumab + radiotherapy", alert.Subject, StringComparison.Ordinal);
            Assert.Contains("Arm: Camrelizumab + radiotherapy (CAMRT)", alert.Source, StringComparison.Ordinal);
            Assert.Contains($"Events / evaluable patients: {crossed.Events} / {crossed.Evaluable}", alert.Source, StringComparison.Ordinal);
            Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"stop if ≥ {crossed.BoundaryAtEvaluable} events in {crossed.Evaluable}"), alert.Source, StringComparison.Ordinal);
        }

        // Assert: the DSMB summary blob exists.
        Assert.NotNull(runtime.LastSummary);
        Assert.True(await runtime.Store.DsmbClosed.GetBlobClient(runtime.LastSummary.ClosedBlob).ExistsAsync(Ct));
        Assert.True(await runtime.Store.DsmbOpen.GetBlobClient(runtime.LastSummary.OpenBlob).ExistsAsync(Ct));

        // Act again: the same export dropped again (another name), then the timer runs again.
        await Upload(runtime, "site-bj01/ae-export-resent.csv", data.AdverseEvents);
        var second = await runtime.Watcher.DrainAsync(Ct);
        await runtime.EvaluateTimer.TriggerAsync(Now.AddHours(1), Ct);

        Assert.Equal(IngestStatus.Duplicate, Assert.Single(second).Status);
        Assert.Empty(runtime.LastEvaluation!.NewAlerts);
        Assert.Equal(all.Count, (await MessagesTo(recipient)).Count);
    }

    [Fact]
    public async Task BrokenFile_IsQuarantinedAtOnceWithErrorReport_AndArchived()
    {
        var suffix = AzuriteFixture.NewSuffix();
        var settings = Settings(suffix, $"dsmb-{suffix}@example.org");
        settings["Runner:RetryBaseSeconds"] = "0.05";
        await using var runtime = await SafetyRuntime.StartAsync(settings, LogLevel.None, Ct);
        const string broken = "subject_id,ae_id,ctcae_term,grade\nBJ01-001,1,\"Anemia,2\n";
        await Upload(runtime, "site-sh02/ae-broken.csv", broken);

        var outcomes = await runtime.Watcher.DrainAsync(Ct);

        var outcome = Assert.Single(outcomes);
        Assert.Equal(IngestStatus.Quarantined, outcome.Status);
        Assert.Single(outcome.Report!.AttemptErrors);
        Assert.Equal(0, runtime.Watcher.Retrying);
        Assert.True(await runtime.Store.Quarantine.GetBlobClient("site-sh02/ae-broken.csv.error.json").ExistsAsync(Ct));
        Assert.Equal(broken, (await runtime.Store.Archive.GetBlobClient(outcome.Sha256).DownloadContentAsync(Ct)).Value.Content.ToString());
    }

    private Dictionary<string, string?> Settings(string suffix, string recipient) => new()
    {
        ["Storage:ConnectionString"] = azurite.ConnectionString,
        ["Storage:NameSuffix"] = suffix,
        ["Mail:Smtp:Host"] = "127.0.0.1",
        ["Mail:Smtp:Port"] = maildev.SmtpPort.ToString(CultureInfo.InvariantCulture),
        ["Mail:Smtp:Security"] = "None",
        ["Mail:Recipients:safetyPhysicians:0"] = recipient,
        ["Mail:Recipients:dsmb:0"] = recipient,
        ["Mail:Recipients:dsmb:1"] = recipient,
    };

    private async Task<List<(string Subject, string Source)>> MessagesTo(string recipient)
    {
        var result = new List<(string, string)>();
        foreach (var message in await maildev.MessagesAsync(Ct))
        {
            var to = message.GetProperty("envelope").GetProperty("to").EnumerateArray().Select(t => t.GetProperty("address").GetString());
            if (to.Contains(recipient))
            {
                var source = await maildev.SourceAsync(message.GetProperty("id").GetString()!, Ct);
                result.Add((message.GetProperty("subject").GetString()!, DecodeQuotedPrintable(source)));
            }
        }

        return result;
    }

    /// <summary>MimeKit may encode the text part; parse the source back to its decoded text for assertions.</summary>
    private static string DecodeQuotedPrintable(string source)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(source));
        var message = MimeKit.MimeMessage.Load(stream);
        return message.TextBody + "\n" + message.HtmlBody;
    }

    private static async Task Upload(SafetyRuntime runtime, string name, string content) =>
        await runtime.Store.Inbox.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(Encoding.UTF8.GetBytes(content)), overwrite: true, Ct);
}
