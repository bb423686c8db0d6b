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

    [Fact]
    public async Task UpsertAsync_AKeyTwiceInOneBatch_WritesBoth_InOrder()
    {
        // Arrange: a roster (or any write) holding one key twice among fewer than 100 rows of one partition.
        var ct = TestContext.Current.CancellationToken;
        var table = new TableClient(azurite.ConnectionString, "Batches" + AzuriteFixture.NewSuffix());
        await table.CreateAsync(ct);
        var entities = Enumerable.Range(0, 10).Select(i => new TableEntity("p", $"r{i:D2}") { ["Value"] = i })
            .Append(new TableEntity("p", "r03") { ["Value"] = 99 })
            .ToList();

        // Act
        var written = await TableBatches.UpsertAsync(table, entities, ct);

        // Assert: no refused batch; the later row of the key is the one stored.
        Assert.Equal(11, written);
        var stored = await TableBatches.ReadAllAsync(table, "p", ct);
        Assert.Equal(10, stored.Count);
        Assert.Equal(99, stored.Single(e => e.RowKey == "r03").GetInt32("Value"));
    }
}
