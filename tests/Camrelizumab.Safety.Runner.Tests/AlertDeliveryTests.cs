using System.Globalization;
using Camrelizumab.Safety.Runner.Hosting;
using Camrelizumab.Safety.Storage.Local;
using Camrelizumab.Safety.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Camrelizumab.Safety.Runner.Tests;

/// <summary>Every alert path against Azurite and a real SMTP server (maildev): once, retried, separated, corrected, escalated.</summary>
public sealed class AlertDeliveryTests(AzuriteFixture azurite, MaildevFixture maildev)
{
    private const string Roster = """
        subject_id,arm,randomization_date,first_dose_date
        BJ01-001,CAMRT,2026-01-05,2026-01-08
        BJ01-002,CAMRT,2026-01-06,2026-01-09
        BJ01-003,CAM,2026-01-07,2026-01-10
        """;

    private const string Header = "subject_id,ae_id,ctcae_term,grade,serious,related_camrelizumab,related_radiotherapy,onset_date,outcome";

    /// <summary>Two fistulas in the first two CAMRT patients: 2/2 crosses the Pocock boundary for p0 = 0.08.</summary>
    private const string TwoFistulas = Header + "\nBJ01-001,1,Esophageal fistula,2,N,N,Y,2026-02-10,\nBJ01-002,1,Esophageal fistula,2,N,N,Y,2026-02-20,\n";

    private static readonly DateTimeOffset Now = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ExpeditedAlerts_AreSentAtIngest_OnceEach_WithTheIchClock()
    {
        var (suffix, to) = Unique();
        await using var runtime = await StartAsync(suffix, to, new FakeTimeProvider(Now));
        await UploadAsync(runtime, "roster.csv", Roster);
        await runtime.Watcher.DrainAsync(Ct);
        await runtime.Outbox.DeliverDueAsync(Ct);
        var export = Header + "\nBJ01-001,7,Pneumonitis,5,Y,Y,N,2026-03-01,FATAL\nBJ01-003,8,Guillain-Barre syndrome,3,Y,Y,,2026-02-15,\nBJ01-003,9,Anemia,3,Y,Y,,2026-02-15,\n";
        await UploadAsync(runtime, "ae.csv", export);

        await runtime.Watcher.DrainAsync(Ct);
        await runtime.Outbox.DeliverDueAsync(Ct);
        var received = (await runtime.Store.Inbox.GetBlobClient("ae.csv").GetPropertiesAsync(cancellationToken: Ct)).Value.CreatedOn;

        var mail = await MessagesToAsync(to.Dsmb);
        var death = Assert.Single(mail, m => m.Subject.Contains("Treatment-related death", StringComparison.Ordinal));
        Assert.Contains($"subject BJ01-001, Pneumonitis grade 5 (due {received.AddDays(7):yyyy-MM-dd})", death.Subject, StringComparison.Ordinal);
        Assert.Contains("Arm: Camrelizumab + radiotherapy", death.Body, StringComparison.Ordinal);
        var susar = Assert.Single(mail, m => m.Subject.Contains("SUSAR candidate", StringComparison.Ordinal));
        Assert.Contains($"Guillain-Barre syndrome grade 3 (due {received.AddDays(15):yyyy-MM-dd})", susar.Subject, StringComparison.Ordinal);
        Assert.Equal(2, mail.Count); // Anemia is expected for camrelizumab: no alert.

        // A corrected export of the same events (a resolution date added) raises nothing new.
        await UploadAsync(runtime, "ae-v2.csv", export.Replace("2026-02-15,\n", "2026-02-15,RECOVERED/RESOLVED\n", StringComparison.Ordinal));
        await runtime.Watcher.DrainAsync(Ct);
        await runtime.Outbox.DeliverDueAsync(Ct);
        Assert.Equal(2, (await MessagesToAsync(to.Dsmb)).Count);
    }

    [Fact]
    public async Task Crossing_WhenSmtpIsDown_StaysPendingAndIsSentOnceOnTheNextRun()
    {
        var (suffix, to) = Unique();
        var time = new FakeTimeProvider(Now);
        var down = new Dictionary<string, string?> { ["Mail:Smtp:Port"] = DevServices.FreeLoopbackPort().ToString(CultureInfo.InvariantCulture) };
        await using (var broken = await StartAsync(suffix, to, time, down))
        {
            await UploadAsync(broken, "roster.csv", Roster);
            await UploadAsync(broken, "ae.csv", TwoFistulas);
            await broken.Watcher.DrainAsync(Ct);
            await broken.Outbox.DeliverDueAsync(Ct);
            await broken.EvaluateTimer.TriggerAsync(Now, Ct);
            Assert.Equal(0, (await broken.Outbox.DeliverDueAsync(Ct)).Sent);
        }

        Assert.Empty(await MessagesToAsync(to.Dsmb));

        await using var repaired = await StartAsync(suffix, to, time);
        time.Advance(TimeSpan.FromHours(1));
        await repaired.EvaluateTimer.TriggerAsync(Now.AddHours(1), Ct);
        Assert.NotEqual(0, (await repaired.Outbox.DeliverDueAsync(Ct)).Sent);
        await repaired.EvaluateTimer.TriggerAsync(Now.AddHours(2), Ct);
        Assert.Equal(0, (await repaired.Outbox.DeliverDueAsync(Ct)).Sent);

        var alert = Assert.Single(await MessagesToAsync(to.Dsmb));
        Assert.Contains("Esophageal fistula", alert.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Crossing_ByArmDetailsReachOnlyClosedRoles_OthersGetTheBlindedNotice_BothLedByTheConfiguredNotice()
    {
        var (suffix, to) = Unique();

        // safety demo sets Mail:Notice to say that its storage, and so its alert ids, are gone after it ends.
        var settings = new Dictionary<string, string?> { ["Mail:ClosedRoles:0"] = "dsmb", ["Mail:ClosedRoles:1"] = "", ["Mail:Notice"] = "From safety demo: its storage is gone." };
        await using var runtime = await StartAsync(suffix, to, new FakeTimeProvider(Now), settings);
        await UploadAsync(runtime, "roster.csv", Roster);
        await UploadAsync(runtime, "ae.csv", TwoFistulas);
        await runtime.Watcher.DrainAsync(Ct);
        await runtime.Outbox.DeliverDueAsync(Ct);

        await runtime.EvaluateTimer.TriggerAsync(Now, Ct);
        await runtime.Outbox.DeliverDueAsync(Ct);

        var closed = Assert.Single(await MessagesToAsync(to.Dsmb));
        Assert.StartsWith("From safety demo: its storage is gone.", closed.Body, StringComparison.Ordinal);
        Assert.Contains("<body style=\"font-family:sans-serif\"><p><em>From safety demo: its storage is gone.</em></p>", closed.Body, StringComparison.Ordinal);
        Assert.Contains("Camrelizumab + radiotherapy", closed.Body, StringComparison.Ordinal);
        Assert.Contains("BJ01-001", closed.Body, StringComparison.Ordinal);
        var blinded = Assert.Single(await MessagesToAsync(to.Physician));
        Assert.Contains("requires DSMB review", blinded.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain("radiotherapy", blinded.Body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("CAMRT", blinded.Body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("BJ01-", blinded.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("2 / 2", blinded.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CorrectedData_UncrossARule_SendsOneCorrection_AndANewCrossingIsAlertedAgain()
    {
        var (suffix, to) = Unique();
        await using var runtime = await StartAsync(suffix, to, new FakeTimeProvider(Now));
        await UploadAsync(runtime, "roster.csv", Roster);
        await UploadAsync(runtime, "ae.csv", TwoFistulas);
        await runtime.Watcher.DrainAsync(Ct);
        await runtime.Outbox.DeliverDueAsync(Ct);
        await runtime.EvaluateTimer.TriggerAsync(Now, Ct);
        await runtime.Outbox.DeliverDueAsync(Ct);

        // The site recodes the second fistula as esophagitis: 1/2 no longer crosses.
        await UploadAsync(runtime, "ae.csv", TwoFistulas.Replace("BJ01-002,1,Esophageal fistula", "BJ01-002,1,Esophagitis", StringComparison.Ordinal));
        await runtime.Watcher.DrainAsync(Ct);
        await runtime.Outbox.DeliverDueAsync(Ct);
        await runtime.EvaluateTimer.TriggerAsync(Now.AddHours(1), Ct);
        await runtime.Outbox.DeliverDueAsync(Ct);
        await runtime.EvaluateTimer.TriggerAsync(Now.AddHours(2), Ct);
        await runtime.Outbox.DeliverDueAsync(Ct);

        var mail = await MessagesToAsync(to.Dsmb);
        Assert.Equal(2, mail.Count);
        var correction = Assert.Single(mail, m => m.Subject.Contains("CORRECTION", StringComparison.Ordinal));
        Assert.Contains("Corrects alert: fistula-camrt.camrt.1", correction.Body, StringComparison.Ordinal);

        // The fistula is confirmed after all: a new crossing, alert number 2.
        await UploadAsync(runtime, "ae.csv", TwoFistulas.Replace("2026-02-20,", "2026-02-21,", StringComparison.Ordinal));
        await runtime.Watcher.DrainAsync(Ct);
        await runtime.Outbox.DeliverDueAsync(Ct);
        await runtime.EvaluateTimer.TriggerAsync(Now.AddHours(3), Ct);
        await runtime.Outbox.DeliverDueAsync(Ct);

        Assert.Equal(["fistula-camrt.camrt.2"], runtime.LastEvaluation!.NewAlerts);
        Assert.Equal(3, (await MessagesToAsync(to.Dsmb)).Count);
    }

    [Fact]
    public async Task UnacknowledgedAlert_IsEscalatedOnce_AcknowledgedAlertIsNot()
    {
        var (suffix, to) = Unique();
        var time = new FakeTimeProvider(Now);

        // Here the escalation role (a medical monitor) is unblinded, so it gets the alerts themselves.
        var unblinded = new Dictionary<string, string?> { ["Mail:ClosedRoles:0"] = "safetyPhysicians", ["Mail:ClosedRoles:1"] = "dsmb", ["Mail:ClosedRoles:2"] = "escalation" };
        await using var runtime = await StartAsync(suffix, to, time, unblinded);
        await UploadAsync(runtime, "roster.csv", Roster);
        await UploadAsync(runtime, "ae.csv", TwoFistulas + "BJ01-003,4,Pneumonitis,5,Y,Y,,2026-03-01,FATAL\n");
        await runtime.Watcher.DrainAsync(Ct);
        await runtime.Outbox.DeliverDueAsync(Ct);
        await runtime.EvaluateTimer.TriggerAsync(Now, Ct);
        await runtime.Outbox.DeliverDueAsync(Ct);
        Assert.NotNull(await runtime.Store.AlertLedger.AcknowledgeAsync("expedited.camrel-rt-ec2.bj01-003.4", "Dr. Test", Ct));

        time.Advance(TimeSpan.FromHours(25));
        await runtime.EvaluateTimer.TriggerAsync(time.GetUtcNow(), Ct);
        await runtime.Outbox.DeliverDueAsync(Ct);
        await runtime.EvaluateTimer.TriggerAsync(time.GetUtcNow(), Ct);
        await runtime.Outbox.DeliverDueAsync(Ct);

        // The two crossings (fistula in CAMRT, the death in CAM on its 1/1 boundary) were not acknowledged: escalated once
        // each. The expedited death alert was acknowledged: not escalated.
        var escalations = await MessagesToAsync(to.Escalation);
        Assert.Equal(2, escalations.Count);
        Assert.All(escalations, e => Assert.Contains("ESCALATION, unacknowledged 25 h", e.Subject, StringComparison.Ordinal));
        Assert.Single(escalations, e => e.Body.Contains("fistula-camrt.camrt.1", StringComparison.Ordinal));
        Assert.Single(escalations, e => e.Body.Contains("tr-death-cam.cam.1", StringComparison.Ordinal));
        Assert.DoesNotContain(escalations, e => e.Body.Contains("expedited.camrel-rt-ec2.bj01-003.4", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Escalation_ToARoleOutsideTheClosedRoles_CarriesNoArmCountOrSubject()
    {
        var (suffix, to) = Unique();
        var time = new FakeTimeProvider(Now);
        await using var runtime = await StartAsync(suffix, to, time);
        await UploadAsync(runtime, "roster.csv", Roster);
        await UploadAsync(runtime, "ae.csv", TwoFistulas + "BJ01-003,4,Pneumonitis,5,Y,Y,,2026-03-01,FATAL\n");
        await runtime.Watcher.DrainAsync(Ct);
        await runtime.Outbox.DeliverDueAsync(Ct);
        await runtime.EvaluateTimer.TriggerAsync(Now, Ct);
        await runtime.Outbox.DeliverDueAsync(Ct);

        time.Advance(TimeSpan.FromHours(25));
        await runtime.EvaluateTimer.TriggerAsync(time.GetUtcNow(), Ct);
        await runtime.Outbox.DeliverDueAsync(Ct);

        // The two crossings and the expedited death are escalated, each as a blinded notice.
        var escalations = await MessagesToAsync(to.Escalation);
        Assert.Equal(3, escalations.Count);
        Assert.All(escalations, e =>
        {
            Assert.Contains("ESCALATION: a safety alert has not been acknowledged for 25 h", e.Subject, StringComparison.Ordinal);
            foreach (var secret in new[] { "radiotherapy", "camrt", "cam.", "BJ01-", "Camrelizumab", "fistula", "Pneumonitis", "2 / 2" })
            {
                Assert.DoesNotContain(secret, e.Subject + e.Body, StringComparison.OrdinalIgnoreCase);
            }
        });
    }

    private Task<SafetyRuntime> StartAsync(string suffix, Recipients to, TimeProvider time, IReadOnlyDictionary<string, string?>? extra = null) =>
        new RunnerHarness(azurite, maildev).StartAsync(suffix, to, time, extra);

    private static (string Suffix, Recipients To) Unique() => RunnerHarness.Unique();

    private Task<List<(string Subject, string Body)>> MessagesToAsync(string recipient) => new RunnerHarness(azurite, maildev).MessagesToAsync(recipient);

    private static Task UploadAsync(SafetyRuntime runtime, string name, string content) => RunnerHarness.UploadAsync(runtime, name, content);
}
