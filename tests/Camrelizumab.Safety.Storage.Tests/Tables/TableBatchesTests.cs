using Azure.Data.Tables;
using Camrelizumab.Safety.Storage.Tables;
using Camrelizumab.Safety.Testing;

namespace Camrelizumab.Safety.Storage.Tests.Tables;

public sealed class TableBatchesTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task UpsertAsync_WritesManyPartitionsAndMoreThan100PerPartition()
    {
        var ct = TestContext.Current.CancellationToken;
        var table = new TableClient(azurite.ConnectionString, "Batches" + AzuriteFixture.NewSuffix());
        await table.CreateAsync(ct);
        var entities = Enumerable.Range(0, 250).Select(i => new TableEntity($"p{i % 3}", $"r{i:D4}") { ["Value"] = i }).ToList();

        var written = await TableBatches.UpsertAsync(table, entities, ct);
        var again = await TableBatches.UpsertAsync(table, entities, ct);

        Assert.Equal(250, written);
        Assert.Equal(250, again);
        var stored = await TableBatches.ReadAllAsync(table, null, ct);
        Assert.Equal(250, stored.Count);
        Assert.Equal(84, (await TableBatches.ReadAllAsync(table, "p0", ct)).Count);
    }
}
