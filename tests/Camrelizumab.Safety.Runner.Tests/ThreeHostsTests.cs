using System.Text;
using Camrelizumab.Safety.Runner.Hosting;
using Camrelizumab.Safety.Storage.Mail;
using Camrelizumab.Safety.Testing;

namespace Camrelizumab.Safety.Runner.Tests;

/// <summary>
/// Functions scales out: three hosts on one storage account and one SMTP server, files dropped at once, every host
/// ingesting and delivering concurrently. Every message reaches the mail server once.
/// </summary>
public sealed class ThreeHostsTests(AzuriteFixture azurite, MaildevFixture maildev)
{
    private const int Files = 3;
    private const int CandidatesPerFile = 10;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ThreeHosts_FilesDroppedAtOnce_EveryMessageIsSentOnce()
    {
        var harness = new RunnerHarness(azurite, maildev);
        var (suffix, to) = RunnerHarness.Unique();
        var fast = new Dictionary<string, string?> { ["Runner:RetryBaseSeconds"] = "0.05" };
        var hosts = new List<SafetyRuntime>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                hosts.Add(await harness.StartAsync(suffix, to, TimeProvider.System, fast));
            }

            await RunnerHarness.UploadAsync(hosts[0], "roster.csv", "subject_id,arm,randomization_date,first_dose_date\nBJ01-001,CAMRT,2026-01-05,2026-01-08\nBJ01-002,CAM,2026-01-06,2026-01-09\n");
            await Task.WhenAll(Enumerable.Range(1, Files).Select(f => RunnerHarness.UploadAsync(hosts[f % 3], $"site-{f}/ae.csv", SusarCandidates(f))));

            // Each host polls the inbox and delivers the outbox, all at once, a few rounds (as three scaled-out
            // instances receiving the same blob events and timer ticks would).
            await Task.WhenAll(hosts.Select(async host =>
            {
                for (var round = 0; round < 4; round++)
                {
                    await host.Watcher.DrainAsync(Ct);
                    await host.Outbox.DeliverDueAsync(Ct);
                }
            }));

            var ledger = await hosts[0].Store.AlertLedger.ReadEntriesAsync(MessageCategory.Expedited, Ct);
            var mail = (await harness.MimeMessagesToAsync(to.Dsmb)).Where(m => (m.Subject ?? "").Contains("EXPEDITED", StringComparison.Ordinal)).ToList();
            Assert.Equal(Files * CandidatesPerFile, ledger.Count);
            Assert.All(ledger, e => Assert.Equal("Sent", e.Status.ToString()));
            Assert.Equal(Files * CandidatesPerFile, mail.Select(m => m.MessageId).Distinct().Count());
            Assert.All(mail.GroupBy(m => m.MessageId), g => Assert.Single(g));
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }

    /// <summary>Serious, camrelizumab-related, unexpected (Guillain-Barre syndrome): each row a SUSAR candidate.</summary>
    private static string SusarCandidates(int file)
    {
        var csv = new StringBuilder("subject_id,ae_id,ctcae_term,grade,serious,related_camrelizumab,related_radiotherapy,onset_date,outcome\n");
        for (var i = 1; i <= CandidatesPerFile; i++)
        {
            csv.Append($"BJ01-00{1 + (i % 2)},{file * 100 + i},Guillain-Barre syndrome,3,Y,Y,N,2026-02-{i:00},\n");
        }

        return csv.ToString();
    }
}
