using System.Globalization;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Storage.Mail;
using Camrelizumab.Safety.Storage.Pipeline;
using Camrelizumab.Safety.Storage.Tables;
using Camrelizumab.Safety.Storage.Tests.Pipeline;
using Camrelizumab.Safety.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Camrelizumab.Safety.Storage.Tests.Tables;

/// <summary>
/// Each AE partition's digest describes its live rows, and a full export read against the digests reads only the
/// partitions it changes or lacks AEs of.
/// </summary>
public sealed class PartitionDigestTests(AzuriteFixture azurite)
{
    private const string Header = "PATNO,AENUM,AETXT,CTCGR,SAEYN,RELCAM,RELRT,STDAT,ENDAT,OUTC";
    private const int Subjects = 40;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static TableEntity Row(string rowKey, params (string Name, object? Value)[] properties)
    {
        var entity = new TableEntity("P", rowKey);
        foreach (var (name, value) in properties)
        {
            entity[name] = value;
        }

        return entity;
    }

    private static readonly TableEntity Base = Row("1", ("Origin", "edc"), ("Grade", 2), ("CtcaeTerm", "Fatigue"), ("SourceFile", "a.csv"), ("Version", 1));

    public static TheoryData<string, TableEntity[], TableEntity[], bool> Cases => new()
    {
        { "same rows, another order", [Base, Row("2", ("Origin", "edc"), ("Grade", 1))], [Row("2", ("Origin", "edc"), ("Grade", 1)), Base], true },
        { "bookkeeping differs only", [Base], [Row("1", ("Origin", "edc"), ("Grade", 2), ("CtcaeTerm", "Fatigue"), ("SourceFile", "b.csv"), ("SourceLine", 9L), ("FirstReceivedAt", DateTimeOffset.UnixEpoch))], true },
        { "a null property is an absent one", [Base], [Row("1", ("Origin", "edc"), ("Grade", 2), ("CtcaeTerm", "Fatigue"), ("MedDraCode", null))], true },
        { "an int and a long of one value", [Base], [Row("1", ("Origin", "edc"), ("Grade", 2L), ("CtcaeTerm", "Fatigue"))], true },
        { "a deleted AE is not live", [Base, Row("2", ("Origin", "edc"), ("Deleted", true))], [Base], true },
        { "a grade changed", [Base], [Row("1", ("Origin", "edc"), ("Grade", 3), ("CtcaeTerm", "Fatigue"))], false },
        { "a value moved to another property", [Base], [Row("1", ("Origin", "edc"), ("Grade", 2), ("SocTerm", "Fatigue"))], false },
        { "a string of the same digits", [Base], [Row("1", ("Origin", "edc"), ("Grade", "2"), ("CtcaeTerm", "Fatigue"))], false },
        { "another AE id", [Base], [Row("2", ("Origin", "edc"), ("Grade", 2), ("CtcaeTerm", "Fatigue"))], false },
        { "one AE more", [Base], [Base, Row("2", ("Origin", "edc"), ("Grade", 1))], false },
        { "another source", [Base], [Row("1", ("Origin", "lab"), ("Grade", 2), ("CtcaeTerm", "Fatigue"))], false },
        { "values shifted between fields", [Row("1", ("A", "xy"), ("B", "z"))], [Row("1", ("A", "x"), ("B", "yz"))], false },
    };

    /// <summary>
    /// The hashes of a partition with every kind of value, as the build that introduced digests wrote them: a build that
    /// computed them otherwise would find every stored partition changed (and read it again) on the next full export.
    /// </summary>
    [Fact]
    public void Digests_AreTheOnesEarlierBuildsStored()
    {
        TableEntity[] rows =
        [
            Row("3", ("Origin", "lab"), ("Grade", 3L), ("CodingConfidence", 0.875), ("Onset", "2026-02"), ("SourceFile", "lab.csv"), ("Version", 2)),
            Row("1", ("Origin", "edc"), ("Grade", 2), ("CtcaeTerm", "Fatigue 疲劳"), ("Serious", true), ("FirstReceivedAt", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(8))), ("SourceFile", "a.csv")),
            Row("2", ("Origin", "edc"), ("Grade", 1), ("Stamp", new DateTime(2026, 3, 4, 5, 6, 7, DateTimeKind.Utc)), ("Id", new Guid("0f8fad5b-d9cb-469f-a165-70867728950e")), ("Blob", new byte[] { 1, 2, 3 }), ("Empty", "")),
            Row("4", ("Origin", "edc"), ("Grade", 5), ("Deleted", true)),
        ];

        // Computed by the digests' first build (a9fd74c's format, unchanged since) and pinned here.
        Assert.Equal(
            "edc=2:8f2fe23ca7e8ae037dadd36b08c5143c7693b14d4dc4e6e3cddab90c1914b0fb;lab=1:ad5d904117ffe526bf58685a192ea938c6b3ff93c3600bcfb8cdfa6a3c6289ba",
            string.Join(";", PartitionDigest.Origins(rows).Select(o => $"{o.Key}={o.Value}")));
        Assert.Equal("61b1a812441f01e220f51b28e658d1a826fa30754d8e2c97f0d8497d06c9f101", PartitionDigest.Rows(rows));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Origins_AreEqual_ExactlyWhenTheLiveContentIs(string name, TableEntity[] stored, TableEntity[] incoming, bool same)
    {
        Assert.True(same == PartitionDigest.Same(PartitionDigest.Origins(stored), PartitionDigest.Origins(incoming)), name);
    }

    [Fact]
    public void Rows_DifferWithAnySourceOrVersion_AndLeaveDeletedRowsOut()
    {
        var rows = PartitionDigest.Rows([Base]);
        Assert.Equal(rows, PartitionDigest.Rows([Base, Row("2", ("Origin", "edc"), ("Deleted", true))]));
        Assert.NotEqual(rows, PartitionDigest.Rows([Row("1", ("Origin", "edc"), ("Grade", 2), ("CtcaeTerm", "Fatigue"), ("SourceFile", "b.csv"), ("Version", 1))]));
        Assert.NotEqual(rows, PartitionDigest.Rows([Row("1", ("Origin", "edc"), ("Grade", 2), ("CtcaeTerm", "Fatigue"), ("SourceFile", "a.csv"), ("Version", 2))]));
    }

    [Fact]
    public async Task ReDrop_OfAFullExport_ReadsOnlyThePartitionsItChangesOrLacksAEsOf()
    {
        // Arrange: a store whose table requests are counted; a full export of 40 subjects with 3 AEs each, and one
        // subject with 250 AEs (its partition is written in three transactions).
        var requests = new RequestLog();
        var store = await CreateStoreAsync(requests);
        var pipeline = new PipelineFactory(store, _time, new PickupFolderMailTransport(Path.GetTempPath()));
        var rows = Enumerable.Range(1, Subjects).SelectMany(s => Enumerable.Range(1, 3).Select(a => EventRow(s, a, grade: 1 + ((s + a) % 3))))
            .Concat(Enumerable.Range(1, 250).Select(a => EventRow(Subjects + 1, a, grade: 1)))
            .ToList();
        await Ingest(pipeline, store, "edc/ae-1.csv", rows);
        Assert.Empty(await store.AdverseEvents.DigestProblemsAsync(Ct));

        // Act 1: the same rows in reverse order under another name.
        requests.Clear();
        var unchanged = await Ingest(pipeline, store, "edc/ae-2.csv", [.. Enumerable.Reverse(rows)]);

        // Assert 1: every AE unchanged, and no partition of the AE table was read.
        Assert.Equal((0, 0, rows.Count, 0), (unchanged.Inserted, unchanged.Updated, unchanged.Unchanged, unchanged.Deleted));
        Assert.Empty(requests.PartitionsRead(store.Names.AdverseEvents));

        // Act 2: subject 5's AE 2 worsens, subject 7's AE 3 and every AE of subject 9 are gone.
        requests.Clear();
        var changedRows = rows
            .Where(r => !r.StartsWith(Subject(9) + ",", StringComparison.Ordinal) && !r.StartsWith(Subject(7) + ",3,", StringComparison.Ordinal))
            .Select(r => r.StartsWith(Subject(5) + ",2,", StringComparison.Ordinal) ? EventRow(5, 2, grade: 4) : r)
            .ToList();
        var changed = await Ingest(pipeline, store, "edc/ae-3.csv", changedRows);

        // Assert 2: one update, four deletions, and only those three subjects' partitions read.
        Assert.Equal((0, 1, changedRows.Count - 1, 4), (changed.Inserted, changed.Updated, changed.Unchanged, changed.Deleted));
        Assert.Equal(
            new[] { 5, 7, 9 }.Select(s => AdverseEventTable.PartitionKeyFor("CAMREL-RT-EC2", Subject(s))).Order(StringComparer.Ordinal),
            requests.PartitionsRead(store.Names.AdverseEvents).Order(StringComparer.Ordinal));
        Assert.Empty(await store.AdverseEvents.DigestProblemsAsync(Ct));
        Assert.Equal(changedRows.Count, (await store.AdverseEvents.ReadAllAsync(Ct)).Count);
    }

    [Fact]
    public async Task StoreWrittenWithoutDigests_GetsThemBeforeAFullExportReliesOnThem()
    {
        // Arrange: a full export stored, then every digest row removed, as a build before digests would have left it,
        // but subject 5's, which is made wrong (as a build before digests writing to the partition would leave it).
        var store = await azurite.CreateStoreAsync(_time, Ct);
        var pipeline = new PipelineFactory(store, _time, new PickupFolderMailTransport(Path.GetTempPath()));
        var rows = Enumerable.Range(1, 12).SelectMany(s => Enumerable.Range(1, 2).Select(a => EventRow(s, a, grade: 2))).ToList();
        await Ingest(pipeline, store, "edc/ae-1.csv", rows);
        var table = store.TableService.GetTableClient(store.Names.AdverseEvents);
        var removed = 0;
        await foreach (var digest in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey gt {PartitionDigest.KeyPrefix} and RowKey lt {PartitionDigest.KeyPrefixEnd}"), cancellationToken: Ct))
        {
            if (digest.PartitionKey == AdverseEventTable.PartitionKeyFor("CAMREL-RT-EC2", Subject(5)))
            {
                digest["Origins"] = "{\"edc\":\"1:00\"}";
                await table.UpdateEntityAsync(digest, digest.ETag, TableUpdateMode.Replace, Ct);
                continue;
            }

            await table.DeleteEntityAsync(digest, cancellationToken: Ct);
            removed++;
        }

        Assert.Equal(11 + 1, removed);
        Assert.NotEmpty(await store.AdverseEvents.DigestProblemsAsync(Ct));

        // Act: a full export without subject 3 (2 of 24 AEs: not held).
        var write = await Ingest(pipeline, store, "edc/ae-2.csv", [.. rows.Where(r => !r.StartsWith(Subject(3) + ",", StringComparison.Ordinal))]);

        // Assert: subject 3's AEs are found missing and deleted, and every partition has its digest again.
        Assert.Equal((0, 0, 22, 2), (write.Inserted, write.Updated, write.Unchanged, write.Deleted));
        Assert.Empty(await store.AdverseEvents.DigestProblemsAsync(Ct));
        var digests = 0;
        await foreach (var unused in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey gt {PartitionDigest.KeyPrefix} and RowKey lt {PartitionDigest.KeyPrefixEnd}"), cancellationToken: Ct))
        {
            digests++;
        }

        Assert.Equal(12 + 1, digests);
    }

    [Fact]
    public async Task StoreWithFormat1Digests_HasThemReplacedAndRemovedBeforeAFullExportReliesOnThem()
    {
        // Arrange: a full export stored, then every digest and the completeness row rewritten as format 1 wrote them
        // (one row key, %digest, for all), subject 3's made to say it holds no AE: a reader trusting format-1 rows
        // would skip subject 3's partition and miss the deletions below.
        var store = await azurite.CreateStoreAsync(_time, Ct);
        var pipeline = new PipelineFactory(store, _time, new PickupFolderMailTransport(Path.GetTempPath()));
        var rows = Enumerable.Range(1, 12).SelectMany(s => Enumerable.Range(1, 2).Select(a => EventRow(s, a, grade: 2))).ToList();
        await Ingest(pipeline, store, "edc/ae-1.csv", rows);
        var table = store.TableService.GetTableClient(store.Names.AdverseEvents);
        var rewritten = 0;
        await foreach (var digest in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey gt {PartitionDigest.KeyPrefix} and RowKey lt {PartitionDigest.KeyPrefixEnd}"), cancellationToken: Ct))
        {
            var old = new TableEntity(digest) { RowKey = PartitionDigest.KeyPrefix };
            if (digest.PartitionKey == PartitionDigest.CompletePartition)
            {
                old["Format"] = 1;
            }
            else if (digest.PartitionKey == AdverseEventTable.PartitionKeyFor("CAMREL-RT-EC2", Subject(3)))
            {
                old["Origins"] = "{}";
            }

            await table.AddEntityAsync(old, Ct);
            await table.DeleteEntityAsync(digest, cancellationToken: Ct);
            rewritten++;
        }

        Assert.Equal(12 + 1, rewritten);
        Assert.Equal(24, (await store.AdverseEvents.ReadAllAsync(Ct)).Count);

        // Act 1: an incremental file (another source) adds an AE to subject 4 before any full export: its partition
        // gets a format-2 digest beside its format-1 one.
        await Exports.UploadAsync(store.Inbox, "site-bj01/ae.csv", $"subject_id,ae_id,ctcae_term,grade\n{Subject(4)},S1,Nausea,1\n", Ct);
        Assert.Equal(IngestStatus.Processed, (await pipeline.Ingest().RunAsync("site-bj01/ae.csv", Ct)).Status);

        // Act 2: a full export without subject 3 (2 of 24 AEs: not held).
        var write = await Ingest(pipeline, store, "edc/ae-2.csv", [.. rows.Where(r => !r.StartsWith(Subject(3) + ",", StringComparison.Ordinal))]);

        // Assert: subject 3's AEs are found missing and deleted, subject 4's AE of the other source stays, every
        // partition has its digest under its own key, and no format-1 row is left.
        Assert.Equal((0, 0, 22, 2), (write.Inserted, write.Updated, write.Unchanged, write.Deleted));
        Assert.Equal(22 + 1, (await store.AdverseEvents.ReadAllAsync(Ct)).Count);
        Assert.Empty(await store.AdverseEvents.DigestProblemsAsync(Ct));
        var keys = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey ge {PartitionDigest.KeyPrefix} and RowKey lt {PartitionDigest.KeyPrefixEnd}"), cancellationToken: Ct))
        {
            Assert.Equal(PartitionDigest.RowKeyFor(row.PartitionKey), row.RowKey);
            keys.Add(row.RowKey);
        }

        Assert.Equal(12 + 1, keys.Distinct(StringComparer.Ordinal).Count());
    }

    private static readonly (string Name, string Key)[] PartitionKeys =
    [
        ("a subject", AdverseEventTable.PartitionKeyFor("CAMREL-RT-EC2", "BJ01-001")),
        ("another subject", AdverseEventTable.PartitionKeyFor("CAMREL-RT-EC2", "BJ01-002")),
        ("the completeness partition", PartitionDigest.CompletePartition),
        ("a key of 504 characters (the digest's key exactly 1 KiB)", TableKey.Encode(new string('S', 504))),
        ("a key of 505 characters (the digest's key by hash)", TableKey.Encode(new string('S', 505))),
        ("a key of 512 characters", TableKey.Encode(new string('S', 512))),
    ];

    public static TheoryData<string> PartitionKeyNames => [.. PartitionKeys.Select(p => p.Name)];

    [Theory]
    [MemberData(nameof(PartitionKeyNames))]
    public void DigestKey_IsAKey_ADigest_AndOnlyItsPartitions(string name)
    {
        var partitionKey = PartitionKeys.Single(p => p.Name == name).Key;
        var key = PartitionDigest.RowKeyFor(partitionKey);
        Assert.True(System.Text.Encoding.Unicode.GetByteCount(key) <= 1024, name);
        Assert.True(PartitionDigest.IsDigest(new TableEntity(partitionKey, key)), name);
        Assert.False(PartitionDigest.IsFormat1(new TableEntity(partitionKey, key)), name);
        Assert.True(string.CompareOrdinal(key, PartitionDigest.KeyPrefix) > 0 && string.CompareOrdinal(key, PartitionDigest.KeyPrefixEnd) < 0, name);
        Assert.Single(PartitionKeys, other => PartitionDigest.RowKeyFor(other.Key) == key);
    }

    [Theory]
    [InlineData("%digest")]
    [InlineData("%digest~X")]
    [InlineData("%digesu")]
    [InlineData("1")]
    public void AnAeId_NeverGetsADigestKey(string aeId)
    {
        var key = TableKey.Encode(aeId);
        Assert.False(PartitionDigest.IsDigest(new TableEntity("P", key)), key);
        Assert.True(string.CompareOrdinal(key, PartitionDigest.KeyPrefix) < 0 || string.CompareOrdinal(key, PartitionDigest.KeyPrefixEnd) >= 0, key);
    }

    private static string Subject(int s) => string.Create(CultureInfo.InvariantCulture, $"BJ01-{s:D3}");

    private static string EventRow(int subject, int ae, int grade) =>
        string.Create(CultureInfo.InvariantCulture, $"{Subject(subject)},{ae},Fatigue,{grade},N,Y,N,2026-02-{1 + (ae % 27):D2},,");

    private static async Task<Core.Ingest.EventChanges> Ingest(PipelineFactory pipeline, SafetyStore store, string name, List<string> rows)
    {
        await Exports.UploadAsync(store.Inbox, name, string.Join("\n", [Header, .. rows]) + "\n", Ct);
        var outcome = await pipeline.Ingest().RunAsync(name, Ct);
        Assert.Equal(IngestStatus.Processed, outcome.Status);
        return outcome.Report!.Changes!;
    }

    private async Task<SafetyStore> CreateStoreAsync(RequestLog requests)
    {
        var options = new TableClientOptions();
        options.AddPolicy(requests, HttpPipelinePosition.PerCall);
        var store = new SafetyStore(
            new BlobServiceClient(azurite.ConnectionString),
            new TableServiceClient(azurite.ConnectionString, options),
            new StorageNames(AzuriteFixture.NewSuffix()),
            CtcaeDictionary.V5,
            _time);
        await store.EnsureCreatedAsync(Ct);
        return store;
    }

    /// <summary>Every table request sent, as its decoded path and query.</summary>
    private sealed class RequestLog : HttpPipelineSynchronousPolicy
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _requests = new();

        public void Clear() => _requests.Clear();

        /// <summary>The partitions of <paramref name="tableName"/> read by a query of the partition or a point read.</summary>
        public HashSet<string> PartitionsRead(string tableName)
        {
            var read = new HashSet<string>(StringComparer.Ordinal);
            foreach (var request in _requests.Where(r => r.StartsWith("GET ", StringComparison.Ordinal) && r.Contains("/" + tableName + "(", StringComparison.Ordinal)))
            {
                var match = System.Text.RegularExpressions.Regex.Match(request, "PartitionKey( eq |=)'(?<key>[^']*)'");
                if (match.Success)
                {
                    read.Add(match.Groups["key"].Value);
                }
            }

            return read;
        }

        public override void OnSendingRequest(HttpMessage message) =>
            _requests.Enqueue($"{message.Request.Method} {Uri.UnescapeDataString(message.Request.Uri.ToUri().PathAndQuery)}");
    }
}
