using System.Globalization;
using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Storage.Mail;
using Camrelizumab.Safety.Storage.Pipeline;
using Camrelizumab.Safety.Storage.Tables;
using Camrelizumab.Safety.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Camrelizumab.Safety.Storage.Tests.Pipeline;

/// <summary>
/// Three hosts (each with its own clients, as three Functions instances would have) on one storage account ingest
/// files that all update the same AEs of one subject: every superseded version must be kept, numbered 1..N per AE.
/// </summary>
public sealed class ConcurrentVersionsTests(AzuriteFixture azurite)
{
    private const int Hosts = 3;
    private const int UpdateFiles = 20;
    private const int Events = 100;
    private const string Subject = "BJ01-001";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>File <paramref name="file"/> of the drill: every AE with an onset of its own, so each file is a new version of each.</summary>
    private static string Export(int file)
    {
        var text = new StringBuilder("study_id,subject_id,ae_id,verbatim_term,grade,serious,related_camrelizumab,onset_date\n");
        var onset = new DateOnly(2026, 3, 1).AddDays(file);
        for (var ae = 1; ae <= Events; ae++)
        {
            text.Append(CultureInfo.InvariantCulture, $"CAMREL-RT-EC2,{Subject},{ae},Fatigue,1,N,Y,{onset:yyyy-MM-dd}\n");
        }

        return text.ToString();
    }

    [Fact]
    public async Task ThreeHosts_UpdatingTheSameEvents_KeepEveryVersion_NumberedWithoutGapsOrRepeats()
    {
        // Arrange: version 1 of every AE, then 20 update files in the inbox.
        var first = await azurite.CreateStoreAsync(_time, Ct);
        var hosts = Enumerable.Range(0, Hosts).Select(h => h == 0 ? first : new SafetyStore(
            new BlobServiceClient(azurite.ConnectionString), new TableServiceClient(azurite.ConnectionString), first.Names, CtcaeDictionary.V5, _time)).ToList();
        var mail = new PickupFolderMailTransport(Path.GetTempPath());
        await Exports.UploadAsync(first.Inbox, "ae-00.csv", Export(0), Ct);
        await new PipelineFactory(first, _time, mail).Ingest().RunAsync("ae-00.csv", Ct);
        var files = Enumerable.Range(1, UpdateFiles).Select(f => $"ae-{f:D2}.csv").ToList();
        for (var f = 1; f <= UpdateFiles; f++)
        {
            await Exports.UploadAsync(first.Inbox, files[f - 1], Export(f), Ct);
        }

        // Act: each host walks the inbox from its own starting point; the file ledger gives each file to one host.
        var outcomes = await Task.WhenAll(hosts.Select((store, h) => Task.Run(async () =>
        {
            var ingest = new PipelineFactory(store, _time, mail).Ingest();
            var done = new List<IngestOutcome>();
            var pending = new Queue<string>(files.Skip(h * UpdateFiles / Hosts).Concat(files.Take(h * UpdateFiles / Hosts)));
            while (pending.TryDequeue(out var name))
            {
                try
                {
                    done.Add(await ingest.RunAsync(name, Ct));
                }
                catch (InvalidOperationException)
                {
                    // As the blob trigger does: a failed attempt is delivered again (the ledger counts attempts).
                    pending.Enqueue(name);
                }
            }

            return done;
        }, Ct)));

        // Assert: each file processed once, and per AE versions 1..21 holding the 21 files once each.
        Assert.Equal(UpdateFiles, outcomes.SelectMany(o => o).Count(o => o.Status == IngestStatus.Processed));
        var partition = AdverseEventTable.PartitionKeyFor("CAMREL-RT-EC2", Subject);
        var history = await TableBatches.ReadAllAsync(first.TableService.GetTableClient(first.Names.AdverseEventHistory), partition, Ct);
        var current = (await TableBatches.ReadAllAsync(first.TableService.GetTableClient(first.Names.AdverseEvents), partition, Ct)).Where(e => !PartitionDigest.IsDigest(e)).ToList();
        var versions = history.Concat(current)
            .GroupBy(e => e.GetString("AeId"), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => (Version: e.GetInt32("Version") ?? 0, File: e.GetString("SourceFile"))).OrderBy(v => v.Version).ToList(), StringComparer.Ordinal);
        var expected = Enumerable.Range(1, UpdateFiles + 1).ToList();
        var allFiles = new[] { "ae-00.csv" }.Concat(files).Order(StringComparer.Ordinal).ToList();
        var incomplete = versions.Count(v => !v.Value.Select(x => x.Version).SequenceEqual(expected) || !v.Value.Select(x => x.File).Order(StringComparer.Ordinal).SequenceEqual(allFiles));
        var figures = $"history rows kept {history.Count} of {Events * UpdateFiles}; AEs with a lost, repeated or skipped version {incomplete} of {Events}";
        TestContext.Current.TestOutputHelper?.WriteLine(figures);
        Assert.True(history.Count == Events * UpdateFiles && incomplete == 0 && versions.Count == Events, figures);
        Assert.All(current, e => Assert.Equal(UpdateFiles + 1, e.GetInt32("Version")));
        Assert.Empty(await first.AdverseEvents.DigestProblemsAsync(Ct));
    }
}
