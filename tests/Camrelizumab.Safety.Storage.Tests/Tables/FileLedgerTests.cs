using System.Text.Json;
using Camrelizumab.Safety.Storage.Tables;
using Camrelizumab.Safety.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Camrelizumab.Safety.Storage.Tests.Tables;

public sealed class FileLedgerTests(AzuriteFixture azurite)
{
    private const string Sha = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ClaimAsync_AWorkerWhoseAttemptEndedUnrecorded_TakesItsClaimBackAtOnce_OthersWait()
    {
        var store = await azurite.CreateStoreAsync(_time, Ct);
        var other = azurite.OtherHost(store, _time).FileLedger;
        Assert.Equal(1, (await store.FileLedger.ClaimAsync(Sha, "ae.csv", Ct)).Attempt);

        // While the attempt runs, a second delivery to the same worker and one to another worker both wait.
        Assert.True((await store.FileLedger.ClaimAsync(Sha, "ae.csv", Ct)).HeldElsewhere);
        Assert.True((await other.ClaimAsync(Sha, "ae.csv", Ct)).HeldElsewhere);

        // The attempt ends without a recorded outcome (storage failed under it): the same worker resumes at once,
        // another worker still waits for the claim timeout.
        store.FileLedger.Release(Sha);
        Assert.True((await other.ClaimAsync(Sha, "ae.csv", Ct)).HeldElsewhere);
        var resumed = await store.FileLedger.ClaimAsync(Sha, "ae.csv", Ct);
        Assert.Equal((2, false), (resumed.Attempt, resumed.HeldElsewhere));
    }

    [Fact]
    public async Task RecordFailureAsync_StorageUnreachable_KeepsTheFailureInsteadOfThrowing()
    {
        // A table endpoint where nothing listens: the storage client retries, then gives up with an AggregateException.
        var port = Storage.Local.DevServices.FreeLoopbackPort();
        var options = new Azure.Data.Tables.TableClientOptions();
        options.Retry.MaxRetries = 1;
        options.Retry.Delay = TimeSpan.FromMilliseconds(10);
        var unreachable = new Azure.Data.Tables.TableClient(
            new Uri($"http://127.0.0.1:{port}/devstoreaccount1/FileLedger"), "FileLedger",
            new Azure.Data.Tables.TableSharedKeyCredential("devstoreaccount1", "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="),
            options);

        Assert.False(await new FileLedger(unreachable, _time).RecordFailureAsync(Sha, "IOException: the storage went away", Ct));
    }

    [Fact]
    public async Task RecordFailureAsync_HugeHostileErrorText_IsCleanedAndCutToFit_TenTimesOver()
    {
        var store = await azurite.CreateStoreAsync(_time, Ct);
        await store.FileLedger.ClaimAsync(Sha, "ae.csv", Ct);

        // 4 KiB of NUL bytes and 300 Chinese column names: JSON-escaped, either is far past a 64 KiB property.
        var nul = "ExportFormatException: bad header " + new string('\0', 4096);
        var chinese = "ExportFormatException: unknown columns " + string.Join(",", Enumerable.Range(0, 300).Select(i => $"不良事件名称{i}"));
        for (var attempt = 0; attempt < 10; attempt++)
        {
            Assert.True(await store.FileLedger.RecordFailureAsync(Sha, attempt % 2 == 0 ? nul : chinese, Ct));
            await store.FileLedger.ClaimAsync(Sha, "ae.csv", Ct);
        }

        var entry = (await store.FileLedger.FindAsync(Sha, Ct))!;
        var json = entry.GetString("Errors");
        Assert.InRange(json.Length, 1, FileLedger.MaxErrorText);
        var errors = JsonSerializer.Deserialize<List<string>>(json)!;
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.DoesNotContain('\0', e));
        Assert.All(errors, e => Assert.InRange(e.Length, 1, 2000));
        Assert.Equal(11, entry.GetInt32("Attempts"));
    }
}
