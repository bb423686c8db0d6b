using System.Globalization;
using System.Text;
using System.Text.Json;
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
        await runtime.Outbox.DeliverDueAsync(Ct);
        await runtime.EvaluateTimer.TriggerAsync(Now, Ct);
        await runtime.Outbox.DeliverDueAsync(Ct);
        var evaluation = runtime.LastEvaluation!;
        await runtime.PublishTimer.TriggerAsync(Now, Ct);
        await runtime.Outbox.DeliverDueAsync(Ct);

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
            Assert.Contains(RuleEvaluation.CrossingText(crossed.Crossing!), alert.Source, StringComparison.Ordinal);
        }

        // Assert: the DSMB summary blob exists.
        Assert.NotNull(runtime.LastSummary);
        Assert.True(await runtime.Store.DsmbClosed.GetBlobClient(runtime.LastSummary.ClosedBlob).ExistsAsync(Ct));
        Assert.True(await runtime.Store.DsmbOpen.GetBlobClient(runtime.LastSummary.OpenBlob).ExistsAsync(Ct));

        // Act again: the same export dropped again (another name), then the timer runs again.
        await Upload(runtime, "site-bj01/ae-export-resent.csv", data.AdverseEvents);
        var second = await runtime.Watcher.DrainAsync(Ct);
        await runtime.Outbox.DeliverDueAsync(Ct);
        await runtime.EvaluateTimer.TriggerAsync(Now.AddHours(1), Ct);
        await runtime.Outbox.DeliverDueAsync(Ct);

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
        await runtime.Outbox.DeliverDueAsync(Ct);

        var outcome = Assert.Single(outcomes);
        Assert.Equal(IngestStatus.Quarantined, outcome.Status);
        Assert.Single(outcome.Report!.AttemptErrors);
        Assert.Equal(0, runtime.Watcher.Retrying);
        Assert.True(await runtime.Store.Quarantine.GetBlobClient("site-sh02/ae-broken.csv.error.json").ExistsAsync(Ct));
        Assert.Equal(broken, (await runtime.Store.Archive.GetBlobClient(outcome.Sha256).DownloadContentAsync(Ct)).Value.Content.ToString());
    }

    /// <summary>
    /// Issue #14: eight subjects of one arm, all inside their 84-day window, and a treatment-related death. Judged in
    /// enrolment order, a death in the 8th enrolled does not cross (look 8 needs 2) and shows its distance; the same
    /// death in the 1st enrolled crosses at look 1. Both in the timer's evaluation, the mail and `rules check --json`.
    /// </summary>
    [Theory]
    [InlineData(8, "Ok", null, "Not crossed. 1 more event among the 7 pending subjects enrolled 1st–7th would cross at look 8.")]
    [InlineData(1, "Crossed", 1, "Crossed at look 1: 1 event among the first 1 enrolled reached its boundary of 1. Stays crossed.")]
    public async Task TreatmentRelatedDeath_CrossesOnlyWhenItsLookIsComplete(int deathIn, string status, int? look, string text)
    {
        // Arrange: the runner's clock and `rules check` (system clock) agree on today.
        var now = DateTimeOffset.UtcNow;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var suffix = AzuriteFixture.NewSuffix();
        var to = $"dsmb-{suffix}@example.org";
        await using var runtime = await SafetyRuntime.StartAsync(Settings(suffix, to), LogLevel.None, Ct, new FakeTimeProvider(now));
        var roster = new StringBuilder("subject_id,arm,randomization_date,first_dose_date\n");
        for (var i = 1; i <= 8; i++)
        {
            var firstDose = today.AddDays(-70 + (7 * i));
            roster.Append(CultureInfo.InvariantCulture, $"BJ01-{i:000},CAMRT,{firstDose.AddDays(-3):yyyy-MM-dd},{firstDose:yyyy-MM-dd}\n");
        }

        var death = $"subject_id,ae_id,ctcae_term,grade,serious,related_camrelizumab,related_radiotherapy,onset_date,outcome\nBJ01-{deathIn:000},1,Death NOS,5,Y,Y,N,{today.AddDays(-1):yyyy-MM-dd},FATAL\n";
        await Upload(runtime, "roster.csv", roster.ToString());
        await Upload(runtime, "ae.csv", death);

        // Act
        await runtime.Watcher.DrainAsync(Ct);
        await runtime.Outbox.DeliverDueAsync(Ct);
        await runtime.EvaluateTimer.TriggerAsync(now, Ct);
        await runtime.Outbox.DeliverDueAsync(Ct);
        var (exit, output, error) = await SafetyProcess.RunAsync(new Dictionary<string, string> { ["SAFETY_Storage__NameSuffix"] = suffix }, null, "rules", "check", "--json", "--connection-string", azurite.ConnectionString);

        // Assert: the timer's evaluation and the mail.
        var result = Assert.Single(runtime.LastEvaluation!.Evaluation.Evaluations, e => e.Rule.Id == "tr-death-camrt");
        Assert.Equal(status, result.Status.ToString());
        Assert.Equal(look, result.Crossing?.Look);
        Assert.Equal(text, result.DistanceText);
        var subjects = (await MessagesTo(to)).Select(m => m.Subject).ToList();
        Assert.Contains(subjects, s => s.Contains("EXPEDITED: Treatment-related death", StringComparison.Ordinal));
        Assert.Equal(look is null ? 0 : 1, subjects.Count(s => s.Contains("Stopping rule crossed: Treatment-related death (grade 5)", StringComparison.Ordinal)));

        // Assert: `safety rules check --json` shows the same.
        Assert.True(exit == (look is null ? 0 : 1), error);
        using var json = JsonDocument.Parse(output);
        var rule = json.RootElement.GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("id").GetString() == "tr-death-camrt");
        Assert.Equal(status, rule.GetProperty("status").GetString());
        Assert.Equal((8, 1, 1, 7), (rule.GetProperty("enrolled").GetInt32(), rule.GetProperty("evaluable").GetInt32(), rule.GetProperty("events").GetInt32(), rule.GetProperty("pending").GetInt32()));
        Assert.Equal(text, rule.GetProperty("text").GetString());
        Assert.Equal(0.0989, rule.GetProperty("achievedAlpha").GetDouble(), 0.0001);
        if (look is null)
        {
            Assert.Equal(JsonValueKind.Null, rule.GetProperty("crossing").ValueKind);
            var distance = rule.GetProperty("distance");
            Assert.Equal((1, 8, 7, 1, 7), (distance.GetProperty("eventsNeeded").GetInt32(), distance.GetProperty("look").GetInt32(),
                distance.GetProperty("pendingSubjects").GetInt32(), distance.GetProperty("firstPendingPosition").GetInt32(), distance.GetProperty("lastPendingPosition").GetInt32()));
        }
        else
        {
            var crossing = rule.GetProperty("crossing");
            Assert.Equal((1, 1, 1), (crossing.GetProperty("look").GetInt32(), crossing.GetProperty("events").GetInt32(), crossing.GetProperty("boundary").GetInt32()));
            Assert.Equal(JsonValueKind.Null, rule.GetProperty("distance").ValueKind);
        }
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
