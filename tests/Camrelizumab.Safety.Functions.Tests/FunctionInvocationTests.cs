using System.Globalization;
using System.Text;
using Camrelizumab.Safety.Storage;
using Camrelizumab.Safety.Testing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Camrelizumab.Safety.Functions.Tests;

/// <summary>Each function class called directly, as the worker would call it, against Azurite and a real SMTP server.</summary>
public sealed class FunctionInvocationTests(AzuriteFixture azurite, MaildevFixture maildev)
{
    private const string Roster = """
        subject_id,arm,randomization_date,first_dose_date
        BJ01-001,CAMRT,2026-01-05,2026-01-08
        BJ01-002,CAMRT,2026-01-06,2026-01-09
        BJ01-003,CAM,2026-01-07,2026-01-10
        """;

    /// <summary>Two fistulas in the first two CAMRT patients: 2/2 crosses the Pocock boundary for p0 = 0.08.</summary>
    private const string TwoFistulas = """
        subject_id,ae_id,ctcae_term,grade,serious,related_camrelizumab,related_radiotherapy,onset_date,outcome
        BJ01-001,1,Esophageal fistula,2,N,N,Y,2026-02-10,
        BJ01-002,1,Esophageal fistula,2,N,N,Y,2026-02-20,
        """;

    /// <summary>Monday 23 November 2026, 06:00 UTC: an occurrence of the default summary schedule.</summary>
    private static readonly DateTimeOffset Monday0600 = new(2026, 11, 23, 6, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Functions_IngestEvaluateAndSummarize_AgainstAzurite(bool pastDue)
    {
        // Arrange
        var suffix = AzuriteFixture.NewSuffix();
        var dsmb = $"dsmb-{suffix}@example.org";
        var time = new FakeTimeProvider(Monday0600.AddSeconds(2));
        using var host = await StartAsync(suffix, dsmb, time);
        var store = host.Services.GetRequiredService<SafetyStore>();
        await UploadAsync(store, "site-01/roster.csv", Roster);
        await UploadAsync(store, "site-01/ae.csv", TwoFistulas);
        var ingest = FunctionsApp.Activate<IngestAdverseEventExportFunction>(host);

        // Act: the blob trigger for each file, the evaluation timer, then the summary timer.
        await ingest.RunAsync(store.Inbox.GetBlobClient("site-01/roster.csv"), "site-01/roster.csv", Ct);
        await ingest.RunAsync(store.Inbox.GetBlobClient("site-01/ae.csv"), "site-01/ae.csv", Ct);
        await FunctionsApp.Activate<EvaluateStoppingRulesFunction>(host).RunAsync(new TimerInfo { IsPastDue = pastDue }, Ct);
        await FunctionsApp.Activate<PublishDsmbSummaryFunction>(host).RunAsync(new TimerInfo { IsPastDue = pastDue }, Ct);
        await FunctionsApp.Activate<DeliverOutboxFunction>(host).RunAsync(new TimerInfo { IsPastDue = pastDue }, Ct);

        // Assert: events stored, one alert of the crossing, both reports named by the 06:00 occurrence.
        var events = await store.AdverseEvents.ReadAllAsync(Ct);
        Assert.Equal(2, events.Count);
        var mail = await SubjectsToAsync(dsmb);
        Assert.Single(mail, s => s.Contains("Esophageal fistula", StringComparison.Ordinal));
        Assert.Single(mail, s => s.Contains("DSMB", StringComparison.Ordinal) && s.Contains("summary", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(2, mail.Count);
        var closed = await NamesAsync(store.DsmbClosed);
        var open = await NamesAsync(store.DsmbOpen);
        Assert.Contains("2026-11-23/dsmb-closed-20261123T0600Z.html", closed);
        Assert.Contains("2026-11-23/dsmb-open-20261123T0600Z.html", open);
    }

    [Fact]
    public async Task PublishDsmbSummary_CatchUpRunForTheSameOccurrence_SendsTheSummaryOnce()
    {
        var suffix = AzuriteFixture.NewSuffix();
        var dsmb = $"dsmb-{suffix}@example.org";
        var time = new FakeTimeProvider(Monday0600);
        using var host = await StartAsync(suffix, dsmb, time);
        var store = host.Services.GetRequiredService<SafetyStore>();
        var publish = FunctionsApp.Activate<PublishDsmbSummaryFunction>(host);

        await publish.RunAsync(new TimerInfo { IsPastDue = false }, Ct);
        await FunctionsApp.Activate<DeliverOutboxFunction>(host).RunAsync(new TimerInfo(), Ct);
        // The host restarts and, having lost the record of the run, catches up 47 minutes later, marked past due.
        time.Advance(TimeSpan.FromMinutes(47));
        await publish.RunAsync(new TimerInfo { IsPastDue = true }, Ct);
        await FunctionsApp.Activate<DeliverOutboxFunction>(host).RunAsync(new TimerInfo(), Ct);

        Assert.Single(await SubjectsToAsync(dsmb));
        Assert.Single(await NamesAsync(store.DsmbClosed), n => n.EndsWith(".html", StringComparison.Ordinal));
        Assert.Single(await NamesAsync(store.DsmbOpen), n => n.EndsWith(".html", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReconcileInbox_IngestsWhatTheTriggerMissed_AndLeavesWhatItHandled(bool pastDue)
    {
        // The blobs are written now (Azurite's clock); the timer runs an hour later, past the reconciliation's grace.
        var suffix = AzuriteFixture.NewSuffix();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(1));
        using var host = await StartAsync(suffix, $"dsmb-{suffix}@example.org", time);
        var store = host.Services.GetRequiredService<SafetyStore>();
        await UploadAsync(store, "site-01/roster.csv", Roster);
        await UploadAsync(store, "site-01/ae.csv", TwoFistulas);
        // The trigger saw the roster; the event of the AE export never arrived.
        await FunctionsApp.Activate<IngestAdverseEventExportFunction>(host).RunAsync(store.Inbox.GetBlobClient("site-01/roster.csv"), "site-01/roster.csv", Ct);

        await FunctionsApp.Activate<ReconcileInboxFunction>(host).RunAsync(new TimerInfo { IsPastDue = pastDue }, Ct);

        Assert.Equal(2, (await store.AdverseEvents.ReadAllAsync(Ct)).Count);
        Assert.Empty(await host.Services.GetRequiredService<Storage.Pipeline.ReconcileInbox>().RunAsync(Ct));
        // A changed version of a handled blob is missed too, until ingested.
        await UploadAsync(store, "site-01/roster.csv", Roster + "\nBJ01-004,CAM,2026-01-08,2026-01-11");
        Assert.Equal(["site-01/roster.csv"], (await host.Services.GetRequiredService<Storage.Pipeline.ReconcileInbox>().RunAsync(Ct)).Select(o => o.BlobName));
    }

    [Fact]
    public async Task ApplyCodingDecisions_CodesAnUncodedEvent_AndWritesAReceipt()
    {
        var suffix = AzuriteFixture.NewSuffix();
        using var host = await StartAsync(suffix, $"dsmb-{suffix}@example.org", new FakeTimeProvider(Monday0600));
        var store = host.Services.GetRequiredService<SafetyStore>();
        await UploadAsync(store, "site-01/roster.csv", Roster);
        await UploadAsync(store, "site-01/ae.csv", "subject_id,ae_id,verbatim_term,grade,serious,related_camrelizumab,onset_date\nBJ01-003,9,Collapsed at home,3,Y,Y,2026-02-01\n");
        foreach (var name in new[] { "site-01/roster.csv", "site-01/ae.csv" })
        {
            await FunctionsApp.Activate<IngestAdverseEventExportFunction>(host).RunAsync(store.Inbox.GetBlobClient(name), name, Ct);
        }

        await store.CodingDecisionsInbox.GetBlobClient("li.csv").UploadAsync(BinaryData.FromString("verbatim,term,by,reason\ncollapsed at home,Syncope,Coder Li,narrative\n"), Ct);

        await FunctionsApp.Activate<ApplyCodingDecisionsFunction>(host).RunAsync(store.CodingDecisionsInbox.GetBlobClient("li.csv"), "li.csv", Ct);

        var queries = host.Services.GetRequiredService<Storage.Pipeline.ResolveQueries>();
        Assert.Empty(await queries.PendingCodingAsync(Ct));
        Assert.Equal("Syncope", Assert.Single(await queries.HistoryAsync("Collapsed at home", Ct)).Term!.Name);
        var receipts = await store.IngestReports.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, "coding-decisions/li.csv.", Ct).ToListAsync(Ct);
        Assert.Single(receipts);
    }

    [Fact]
    public async Task ReportPoisonedBlob_TellsTheDataManagersOnce()
    {
        var suffix = AzuriteFixture.NewSuffix();
        using var host = await StartAsync(suffix, $"dsmb-{suffix}@example.org", new FakeTimeProvider(Monday0600));
        var report = FunctionsApp.Activate<ReportPoisonedBlobFunction>(host);
        // The message the Functions blob trigger writes to webjobs-blobtrigger-poison.
        var message = $$"""{"Type":"BlobTrigger","FunctionId":"Host.Functions.IngestAdverseEventExport","BlobType":"BlockBlob","ContainerName":"ae-inbox","BlobName":"site-01/ae-{{suffix}}.csv","ETag":"\"0x8DD0F6A3C2B1E4F\""}""";

        await report.RunAsync(message, Ct);
        await FunctionsApp.Activate<DeliverOutboxFunction>(host).RunAsync(new TimerInfo(), Ct);
        await report.RunAsync(message, Ct);
        await FunctionsApp.Activate<DeliverOutboxFunction>(host).RunAsync(new TimerInfo(), Ct);

        var subject = Assert.Single(await SubjectsToAsync($"dm-{suffix}@example.org"));
        Assert.Contains($"File not ingested: site-01/ae-{suffix}.csv", subject, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> Occurrences => new()
    {
        // Fired on time, a little early on the host's clock, caught up late, and the hourly evaluation schedule.
        { "0 0 6 * * 1", "2026-11-23T06:00:00Z", "2026-11-23T06:00:00Z" },
        { "0 0 6 * * 1", "2026-11-23T05:59:58Z", "2026-11-23T06:00:00Z" },
        { "0 0 6 * * 1", "2026-11-25T13:10:00Z", "2026-11-23T06:00:00Z" },
        { "0 0 * * * *", "2026-11-25T13:10:00Z", "2026-11-25T13:00:00Z" },
    };

    [Theory]
    [MemberData(nameof(Occurrences))]
    public void ScheduledOccurrence_IsTheLatestAtOrBeforeNow(string schedule, string now, string expected) =>
        Assert.Equal(
            DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture),
            PublishDsmbSummaryFunction.ScheduledOccurrence(schedule, DateTimeOffset.Parse(now, CultureInfo.InvariantCulture)));

    private async Task<IHost> StartAsync(string suffix, string dsmb, TimeProvider time)
    {
        var settings = new Dictionary<string, string?>(HostTests.PipelineSettings())
        {
            ["SafetyStorage"] = azurite.ConnectionString,
            ["Storage__NameSuffix"] = suffix,
            ["Mail__Smtp__Host"] = "127.0.0.1",
            ["Mail__Smtp__Port"] = maildev.SmtpPort.ToString(CultureInfo.InvariantCulture),
            ["Mail__Smtp__Security"] = "None",
            ["Mail__Recipients__safetyPhysicians__0"] = $"physician-{suffix}@example.org",
            ["Mail__Recipients__dsmb__0"] = dsmb,
            ["Mail__Recipients__dataManagers__0"] = $"dm-{suffix}@example.org",
        };
        var host = FunctionsApp.Build(settings, services => services.AddSingleton(time));
        await host.Services.GetRequiredService<SafetyStore>().EnsureCreatedAsync(Ct);
        return host;
    }

    private static async Task UploadAsync(SafetyStore store, string name, string content) =>
        await store.Inbox.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(Encoding.UTF8.GetBytes(content)), overwrite: true, Ct);

    private static async Task<List<string>> NamesAsync(Azure.Storage.Blobs.BlobContainerClient container) =>
        await container.GetBlobsAsync(cancellationToken: Ct).Select(b => b.Name).ToListAsync(Ct);

    private async Task<List<string>> SubjectsToAsync(string recipient)
    {
        var subjects = new List<string>();
        foreach (var message in await maildev.MessagesAsync(Ct))
        {
            if (message.GetProperty("envelope").GetProperty("to").EnumerateArray().Any(t => t.GetProperty("address").GetString() == recipient))
            {
                subjects.Add(message.GetProperty("subject").GetString() ?? "");
            }
        }

        return subjects;
    }
}
