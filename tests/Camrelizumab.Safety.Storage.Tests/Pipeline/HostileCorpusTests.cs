using Azure.Data.Tables;
using Camrelizumab.Safety.Core.Tabular;
using Camrelizumab.Safety.Storage.Pipeline;
using Camrelizumab.Safety.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Camrelizumab.Safety.Storage.Tests.Pipeline;

/// <summary>
/// Every file of <see cref="HostileCorpus"/> through the real ingest against Azurite: stored with its queries, refused
/// row by row, or quarantined with a one-line reason; rows read = stored + refused; nothing escapes the pipeline.
/// </summary>
public sealed class HostileCorpusTests(AzuriteFixture azurite)
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryHostileFile_IsStoredWithQueries_RefusedByRow_OrQuarantinedWithOneLine()
    {
        var corpus = HostileCorpus.Build();
        Assert.True(corpus.Count >= 60, $"The corpus has {corpus.Count} files.");
        var failures = new List<string>();
        var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        long rowsRead = 0, rowsStored = 0, rowsRefused = 0;

        foreach (var file in corpus)
        {
            // Arrange: each file gets its own store, so what it stored is counted alone.
            var store = await azurite.CreateStoreAsync(_time, Ct);
            var pipeline = new PipelineFactory(store, _time, new RecordingTransport());
            try
            {
                await store.Inbox.GetBlobClient(file.Name).UploadAsync(BinaryData.FromBytes(file.Content), Ct);
            }
            catch (Azure.RequestFailedException ex) when (ex.Status == 400 && file.Expected == "refused-by-storage")
            {
                // "a/../../b" leaves the container once the URL is resolved: no such blob can exist, so no trigger names it.
                outcomes["name refused by blob storage"] = outcomes.GetValueOrDefault("name refused by blob storage") + 1;
                continue;
            }

            if (file.Expected == "refused-by-storage")
            {
                failures.Add($"{file}: blob storage accepted the name");
                continue;
            }

            // Act: one attempt, so any fault that is not a format error ends quarantined rather than retried.
            IngestOutcome outcome;
            try
            {
                outcome = await pipeline.Ingest(maxAttempts: 1).RunAsync(file.Name, Ct);
            }
            catch (Exception ex)
            {
                failures.Add($"{file}: threw {ex.GetType().Name}: {ex.Message}");
                continue;
            }

            // Assert
            var report = outcome.Report!;
            var problems = new List<string>();
            var stored = await StoredEventsAsync(store, outcome.Sha256);
            if (outcome.ReportBlob is not { Length: <= ReportBlobName.MaxLength } reportBlob || !(await store.IngestReports.GetBlobClient(reportBlob).ExistsAsync(Ct)).Value)
            {
                problems.Add($"no report blob within 1,024 characters ({outcome.ReportBlob?.Length})");
            }

            if (file.Expected.StartsWith("quarantined:", StringComparison.Ordinal))
            {
                var reason = file.Expected["quarantined:".Length..];
                if (outcome.Status != IngestStatus.Quarantined || report.FileError is not { } error || !error.StartsWith(reason, StringComparison.Ordinal) || error.Contains('\n', StringComparison.Ordinal))
                {
                    problems.Add($"expected quarantined with a one-line '{reason}' reason, got {outcome.Status}: {report.FileError ?? Summary(report)}");
                }

                if (stored > 0)
                {
                    problems.Add($"{stored} events stored from a quarantined file");
                }

                var errorBlobs = new List<string>();
                await foreach (var blob in store.Quarantine.GetBlobsAsync(cancellationToken: Ct))
                {
                    errorBlobs.Add(blob.Name);
                }

                if (!errorBlobs.Any(n => n.EndsWith(".error.json", StringComparison.Ordinal) && n.Length <= ReportBlobName.MaxLength))
                {
                    problems.Add("no quarantine error blob within 1,024 characters");
                }
            }
            else if (outcome.Status != IngestStatus.Processed)
            {
                problems.Add($"expected stored, got {outcome.Status}: {report.FileError}");
            }
            else
            {
                if (report.RowsRead != report.RowsAccepted + report.RowsRejected)
                {
                    problems.Add($"rows read {report.RowsRead} != stored {report.RowsAccepted} + refused {report.RowsRejected}");
                }

                if (report.Kind == Core.Ingest.ExportKind.AdverseEvents && stored != report.RowsAccepted)
                {
                    problems.Add($"{report.RowsAccepted} rows accepted but {stored} events stored");
                }

                if (file.Mark is { } mark && !report.QueriesByKind.ContainsKey(mark) && !report.RejectionsByReason.ContainsKey(mark))
                {
                    problems.Add($"no '{mark}' query or rejection: {Summary(report)}");
                }

                rowsRead += report.RowsRead;
                rowsStored += report.RowsAccepted;
                rowsRefused += report.RowsRejected;
            }

            var key = outcome.Status == IngestStatus.Quarantined ? "quarantined"
                : report.RowsRejected > 0 ? "stored, some rows refused"
                : report.EventsWithQueries > 0 ? "stored with queries"
                : "stored";
            outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
            failures.AddRange(problems.Select(p => $"{file}: {p}"));
        }

        TestContext.Current.SendDiagnosticMessage(
            $"Hostile corpus: {corpus.Count} files; {string.Join(", ", outcomes.Select(p => $"{p.Key} {p.Value}"))}; rows read {rowsRead} = stored {rowsStored} + refused {rowsRefused}.");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Utf8FileWithOneInvalidByte_KeepsItsChineseTerms()
    {
        // Before: one stray byte made the whole file GB18030, and 恶心 was stored as 鎭跺績.
        var store = await azurite.CreateStoreAsync(_time, Ct);
        var file = HostileCorpus.Build().Single(f => f.Name == "encoding/utf8-one-invalid-byte.csv");
        await store.Inbox.GetBlobClient(file.Name).UploadAsync(BinaryData.FromBytes(file.Content), Ct);

        var outcome = await new PipelineFactory(store, _time, new RecordingTransport()).Ingest().RunAsync(file.Name, Ct);

        Assert.Equal("utf-8 (1 invalid byte sequence replaced with U+FFFD)", outcome.Report!.Encoding);
        var terms = (await store.AdverseEvents.ReadAllAsync(Ct)).OrderBy(e => e.AeId, StringComparer.Ordinal).Select(e => e.VerbatimTerm).ToList();
        Assert.Equal(["恶心", "呕吐", "腹泻\uFFFD"], terms);
        var query = Assert.Single(outcome.Report.Queries, q => q.Code == "undecodable-text");
        Assert.Equal((4L, "verbatim_term"), (query.Line, query.Column));
    }

    [Fact]
    public async Task OverlongBlobName_GetsReportAndErrorNamesWithinAzuresLimit()
    {
        // 1,020 characters: Azurite accepts "{name}.{sha12}.json" (1,038), Azure refuses names over 1,024.
        var store = await azurite.CreateStoreAsync(_time, Ct);
        var name = "site/" + new string('n', 1_011) + ".csv";
        await store.Inbox.GetBlobClient(name).UploadAsync(BinaryData.FromString(""), Ct);

        var outcome = await new PipelineFactory(store, _time, new RecordingTransport()).Ingest(maxAttempts: 1).RunAsync(name, Ct);

        Assert.Equal(IngestStatus.Quarantined, outcome.Status);
        Assert.Equal(1_024 - ".rejections.csv".Length + ".json".Length, outcome.ReportBlob!.Length);
        Assert.StartsWith("site/nnn", outcome.ReportBlob, StringComparison.Ordinal);
        Assert.EndsWith($"n.csv.{outcome.Sha256[..12]}.json", outcome.ReportBlob, StringComparison.Ordinal);
        var quarantined = new List<string>();
        await foreach (var blob in store.Quarantine.GetBlobsAsync(cancellationToken: Ct))
        {
            quarantined.Add(blob.Name);
        }

        Assert.Contains(quarantined, n => n.EndsWith("n.csv.error.json", StringComparison.Ordinal) && n.Length == 1_024);
    }

    [Fact]
    public void XptDeclaringHugeObservations_AllocatesNoRowBuffer()
    {
        // 9,999 variables × 32,767 bytes and no observations: the header asks for a 328 MB observation buffer.
        var file = HostileCorpus.Build().Single(f => f.Name == "xpt/lying-9999-variables-no-observations.xpt");
        var before = GC.GetAllocatedBytesForCurrentThread();

        using (var reader = TabularFile.Open(new MemoryStream(file.Content), file.Name))
        {
            Assert.False(reader.TryRead(out _));
            Assert.Equal(9_999, reader.Header.Count);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 32 * 1024 * 1024, $"Opening the file allocated {allocated:N0} bytes.");
    }

    /// <summary>
    /// Writes the corpus to <c>HOSTILE_CORPUS_DIR</c> (else a temporary folder) with flat file names, for dropping into
    /// <c>safety run</c> to measure its memory.
    /// </summary>
    [Fact]
    public void Corpus_CanBeWrittenToAFolder()
    {
        var folder = Environment.GetEnvironmentVariable("HOSTILE_CORPUS_DIR") is { Length: > 0 } dir ? dir : Path.Combine(Path.GetTempPath(), "hostile-corpus-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var corpus = HostileCorpus.Build();
        for (var i = 0; i < corpus.Count; i++)
        {
            var flat = new string([.. corpus[i].Name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '_')]);
            File.WriteAllBytes(Path.Combine(folder, $"{i:D3}-{flat[..Math.Min(flat.Length, 80)]}"), corpus[i].Content);
        }

        Assert.Equal(corpus.Count, Directory.GetFiles(folder).Length);
        TestContext.Current.SendDiagnosticMessage($"Hostile corpus written to {folder}.");
    }

    private static string Summary(Core.Ingest.IngestReport report) =>
        $"{report.RowsRead} read, {report.RowsAccepted} stored, {report.RowsRejected} refused; queries {string.Join(" ", report.QueriesByKind.Keys)}; refusals {string.Join(" ", report.RejectionsByReason.Keys)}; encoding {report.Encoding}";

    private static async Task<int> StoredEventsAsync(SafetyStore store, string sha256)
    {
        var count = 0;
        await foreach (var unused in store.TableService.GetTableClient(store.Names.AdverseEvents).QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"SourceSha256 eq {sha256}"), select: ["RowKey"], cancellationToken: Ct))
        {
            count++;
        }

        return count;
    }
}
