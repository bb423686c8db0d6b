using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Core.Ingest;
using Camrelizumab.Safety.Core.Stopping;
using Camrelizumab.Safety.Core.Tabular;
using Camrelizumab.Safety.Storage.Tables;

namespace Camrelizumab.Safety.Storage.Tests.Tables;

/// <summary>The per-file index kept in a temporary file answers exactly as the one on the heap.</summary>
public sealed class FileEventIndexTests
{
    /// <summary>
    /// Key shapes: spread hashes; keys sharing their low 3 bits (several splits before they part). Keys written to
    /// their pages one at a time, a hundred at a time, or held in memory to the default.
    /// </summary>
    public static TheoryData<string, int, int, int> Shapes => new()
    {
        { "spread", 0, 20_000, 1 },
        { "spread", 0, 20_000, 100 },
        { "spread", 0, 70_000, FileEventIndex.MaxPending },
        { "spread, many buckets at the start", 10, 5_000, 100 },
        { "same low 3 bits", 0, 2_000, 100 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void AddOrGet_AndContains_AnswerAsADictionary(string shape, int bucketBits, int keys, int pending)
    {
        var random = new Random(20261130);
        UInt128 Key(int i)
        {
            var high = (ulong)random.NextInt64();
            var low = (ulong)random.NextInt64();
            return shape switch
            {
                "same low 3 bits" => new UInt128(high, (low & ~0x7UL) | 0x5),
                _ => new UInt128(high, low),
            };
        }

        var added = Enumerable.Range(0, keys).Select(Key).ToList();
        var set = added.ToHashSet();
        // Absent keys the Bloom filter lets through (bit 35 is in neither its probes nor the bucket), so a page is read
        // and scanned, and keys of no shape at all.
        var absent = added.Select(k => k ^ ((UInt128)1 << 35)).Concat(Enumerable.Range(0, keys).Select(Key)).Where(k => !set.Contains(k)).ToList();
        using var index = new FileEventIndex(bucketBits, pending);
        var model = new Dictionary<UInt128, long>();
        for (var i = 0; i < added.Count; i++)
        {
            // Every key twice: the second add returns the first fingerprint and changes nothing.
            Assert.Null(index.AddOrGet(added[i], i));
            Assert.Equal(i, index.AddOrGet(added[i], -i - 1));
            model[added[i]] = i;
            if (i % 97 == 0)
            {
                Assert.Equal(model[added[i / 2]], index.AddOrGet(added[i / 2], 0));
            }
        }

        Assert.Equal(model.Count, index.Count);
        Assert.All(added, k => Assert.True(index.Contains(k)));
        Assert.All(absent, k => Assert.False(index.Contains(k)));
        Assert.True(index.Buckets >= 1L << bucketBits, shape);
        Assert.True(bucketBits > 0 || index.Buckets > 1, $"{shape}: the table never split");
    }

    [Fact]
    public void KeysSharingTheirLowHalf_AreRefused_BeforeTheFileGrowsToSixtyFourTimesTheirPages()
    {
        // 171 keys that no split can part: the index refuses them when it writes them to their page, instead of
        // doubling its file until the disk is full.
        using var index = new FileEventIndex(bucketBits: 0, maxPending: FileEventIndex.PageEntries + 1);
        for (var i = 0; i < FileEventIndex.PageEntries; i++)
        {
            Assert.Null(index.AddOrGet(new UInt128((ulong)i + 1, 0x5EED), i));
        }

        var refused = Assert.Throws<InvalidOperationException>(() => index.AddOrGet(new UInt128(999, 0x5EED), 1));
        Assert.Contains("not spread", refused.Message, StringComparison.Ordinal);
        Assert.True(index.Buckets <= 128, $"{index.Buckets} pages: 64 times the 2 its 170 keys would fill");

        // Its pages and counts no longer agree, so nothing more is answered.
        Assert.Throws<ObjectDisposedException>(() => index.Contains(new UInt128(1, 0x5EED)));
        Assert.False(File.Exists(index.FilePath));
    }

    [Fact]
    public async Task Contains_FromSeveralThreadsOnceAddingIsOver_AnswersEveryKey()
    {
        using var index = new FileEventIndex(maxPending: 1_000);
        // 50,500 keys, 1,000 pending at a time: most on disk, 500 still pending while the threads ask.
        var keys = Enumerable.Range(0, 50_500).Select(i => unchecked(new UInt128((ulong)i * 0x9E3779B97F4A7C15, (ulong)i * 0xBF58476D1CE4E5B9))).ToList();
        foreach (var key in keys)
        {
            index.AddOrGet(key, 1);
        }

        var wrong = 0;
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = TestContext.Current.CancellationToken }, (key, _) =>
        {
            if (!index.Contains(key) || index.Contains(key ^ ((UInt128)1 << 35)))
            {
                Interlocked.Increment(ref wrong);
            }

            return ValueTask.CompletedTask;
        });
        Assert.Equal(0, wrong);
    }

    [Fact]
    public void AfterDispose_TheIndexRefuses_AndItsFileIsGone()
    {
        var index = new FileEventIndex();
        index.AddOrGet(1, 1);
        Assert.True(File.Exists(index.FilePath));
        index.Dispose();
        Assert.Throws<ObjectDisposedException>(() => index.Contains(1));
        Assert.False(File.Exists(index.FilePath));
    }

    [Fact]
    public void ExportReader_WithTheFileIndex_ReadsAndHoldsAsWithTheHeapIndex()
    {
        // Repeats, renamed repeats, a literal id a rename would take, and 3,000 more AEs (the index splits).
        var rows = new List<string>
        {
            "S,BJ01-001,5,Fatigue,1", "S,BJ01-001,5,Fatigue,2", "S,BJ01-002,7,Fatigue,1", "S,BJ01-002,7,Fatigue,1", "S,BJ01-003,,Fatigue,1",
            "S,BJ01-004,9.L9,Nausea,1", "S,BJ01-004,9,Nausea,1", "S,BJ01-004,9,Nausea,2",
        };
        rows.AddRange(Enumerable.Range(0, 3_000).Select(i => $"S,BJ02-{i % 40:D3},{i},Anemia,{1 + (i % 3)}"));
        rows.AddRange(Enumerable.Range(0, 50).Select(i => $"S,BJ02-{i % 40:D3},{i * 7},Anemia,{1 + (i % 3)}"));
        var text = string.Join("\n", ["study_id,subject_id,ae_id,verbatim_term,grade", .. rows]) + "\n";
        var rules = SafetyRules.LoadDefaults() with { Study = "S" };

        var onHeap = ExportReader.Open(new CsvTableReader(new StringReader(text)), "site/file.csv", "sha", rules, CtcaeDictionary.V5);
        using var index = new FileEventIndex(bucketBits: 0, maxPending: 50);
        var onDisk = ExportReader.Open(new CsvTableReader(new StringReader(text)), "site/file.csv", "sha", rules, CtcaeDictionary.V5, index: index);

        var expected = onHeap.ReadRows().Select(Describe).ToList();
        Assert.Equal(expected, onDisk.ReadRows().Select(Describe));
        Assert.Contains(expected, r => r.Contains("9.L9'", StringComparison.Ordinal));
        Assert.Contains(expected, r => r.Contains("duplicate-row", StringComparison.Ordinal));
        Assert.True(index.Buckets > 1);
        string[] subjects = ["BJ01-001", "BJ01-002", "BJ01-004", "BJ02-000", "BJ02-017", "BJ02-039", "BJ03-000"];
        string[] ids = ["5", "5.L3", "7", "9", "9.L9", "9.L9'", "0", "17", "2999", "3000", "20993", ""];
        foreach (var (subject, id) in subjects.SelectMany(s => ids.Select(i => (s, i))))
        {
            Assert.True(onHeap.HoldsEvent(subject, id) == onDisk.HoldsEvent(subject, id), $"{subject}/{id}");
        }
    }

    private static string Describe(RowResult row) => row switch
    {
        RowResult.AcceptedEvent e => $"event {e.Event.SubjectId}/{e.Event.AeId} grade {e.Event.Grade} queries {string.Join(",", e.Event.Queries.Select(q => q.Kind))}",
        RowResult.Rejected r => $"refused line {r.Rejection.Line} {r.Rejection.ReasonCode}",
        _ => row.GetType().Name,
    };
}
