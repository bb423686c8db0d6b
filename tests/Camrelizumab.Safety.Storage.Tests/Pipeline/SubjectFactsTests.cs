using System.Globalization;
using System.Text;
using Camrelizumab.Safety.Core.Stopping;
using Camrelizumab.Safety.Core.Tests.Aggregation;
using Camrelizumab.Safety.Storage.Pipeline;
using Camrelizumab.Safety.Storage.Tables;
using Camrelizumab.Safety.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Camrelizumab.Safety.Storage.Tests.Pipeline;

/// <summary>The per-subject facts kept as events arrive, change, disappear and get coded, against the full recompute.</summary>
public sealed class SubjectFactsTests(AzuriteFixture azurite)
{
    private const string Header = "PATNO,AENUM,AETXT,CTCTERM,CTCGR,SAEYN,RELCAM,RELRT,STDAT,ENDAT,OUTC";
    private const string SiteHeader = "study_id,subject_id,ae_id,verbatim_term,ctcae_term,grade,serious,related_camrelizumab,related_radiotherapy,onset_date,resolution_date,outcome";

    private static readonly string[] Terms =
        ["Esophageal fistula", "Tracheal fistula", "Pneumonitis", "Anemia", "Esophagitis", "Fatigue", "Hypothyroidism", "Colitis", "Pruritus", "Diarrhea"];

    private static readonly string[] Uncoded = ["Zqx unexplained episode one", "Zqx unexplained episode two", "Zqx unexplained episode three"];

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Evaluation_OnKeptFacts_EqualsFullRecompute_OverARandomHistoryWithUpdatesDeletionsAndCoding()
    {
        // Arrange: 250 subjects, then exports in which events are added, changed (grade, term, attribution, onset) and
        // removed (deleted at the source), and events awaiting coding coded and uncoded again. More than 10,000 event
        // versions in all, from a fixed seed.
        var store = await azurite.CreateStoreAsync(_time, Ct);
        var pipeline = new PipelineFactory(store, _time, new RecordingTransport());
        var random = new Random(16_003);
        await IngestAsync(store, pipeline, "roster.csv", Roster(random, 250));
        var current = new Dictionary<(string Subject, int AeId), string>();
        var nextAe = 1;
        var versions = 0;
        var snapshot = new SnapshotReader(store, pipeline.Rules);

        for (var round = 1; round <= 6; round++)
        {
            var dropped = new Dictionary<(string Subject, int AeId), string>();
            foreach (var key in current.Keys.ToList())
            {
                switch (random.Next(10))
                {
                    case 0 when round % 2 == 1:
                        current.Remove(key);
                        break;
                    case 1 or 2:
                        current[key] = dropped[key] = Row(random, key.Subject, key.AeId);
                        break;
                }
            }

            if (round == 3)
            {
                // Five subjects lose every event at the source: their facts must go, not linger.
                foreach (var key in current.Keys.Where(k => k.Subject is "BJ01-010" or "BJ01-020" or "BJ01-030" or "BJ01-040" or "BJ01-050").ToList())
                {
                    current.Remove(key);
                }
            }

            for (var i = 0; i < (round == 1 ? 3_000 : 1_000); i++)
            {
                var subject = $"BJ01-{random.Next(1, 261):D3}";
                current[(subject, nextAe)] = dropped[(subject, nextAe)] = Row(random, subject, nextAe);
                nextAe++;
            }

            // Act: odd rounds a full EDC export (what it lacks is deleted), even rounds an incremental drop of what changed
            // only (so only its subjects are refolded); after each, a coder decision, assigned and later revoked.
            var (name, content) = round % 2 == 1
                ? ($"edc/ae-round{round}.csv", Header + "\n" + string.Join('\n', current.Values))
                : ($"site-bj01/ae-round{round}.csv", SiteHeader + "\n" + string.Join('\n', dropped.Values.Select(row => "CAMREL-RT-EC2," + row)));
            var changes = (await IngestAsync(store, pipeline, name, content)).Report!.Changes!;
            versions += changes.Inserted + changes.Updated + changes.Restored + changes.Deleted;
            await CompareAsync(store, snapshot, $"round {round}");
            Assert.Empty(await store.AdverseEvents.DigestProblemsAsync(Ct));
            var verbatim = Uncoded[round % Uncoded.Length];
            if (round % 2 == 1)
            {
                await pipeline.Queries().AssignAsync(verbatim, "Esophageal fistula", "coder", "reviewed", Ct);
            }
            else
            {
                await pipeline.Queries().RevokeAsync(Uncoded[(round - 1) % Uncoded.Length], "coder", "re-opened", Ct);
            }

            await CompareAsync(store, snapshot, $"round {round} after coding");
        }

        // Assert: the history exercised what it is meant to.
        var final = await snapshot.EvaluateAsync(Today, Ct);
        Assert.True(final.DataQueries.EventsAwaitingCoding > 0);
        Assert.Contains(final.Evaluations, e => e.Events > 0);
        Assert.True(versions > 10_000, $"{versions} event versions");
    }

    [Fact]
    public async Task Facts_KeptByThreeHostsIngestingFilesOfTheSameSubjectsAtOnce_EqualTheirEvents()
    {
        // Arrange: three hosts (own clients each) and nine site files, each with new AEs for the same 40 subjects, so
        // every file's facts rows are also written by the others meanwhile.
        const int Hosts = 3;
        var first = await azurite.CreateStoreAsync(_time, Ct);
        var hosts = Enumerable.Range(0, Hosts).Select(h => h == 0 ? first : new SafetyStore(
            new Azure.Storage.Blobs.BlobServiceClient(azurite.ConnectionString), new Azure.Data.Tables.TableServiceClient(azurite.ConnectionString), first.Names, Core.Ctcae.CtcaeDictionary.V5, _time)).ToList();
        var random = new Random(16_017);
        await IngestAsync(first, new PipelineFactory(first, _time, new RecordingTransport()), "roster.csv", Roster(random, 40));
        var files = new List<string>();
        for (var f = 0; f < 9; f++)
        {
            var rows = Enumerable.Range(1, 40).SelectMany(s => Enumerable.Range(0, 3).Select(k => "CAMREL-RT-EC2," + Row(random, $"BJ01-{s:D3}", (f * 1_000) + (s * 10) + k)));
            files.Add($"site-bj01/ae-{f}.csv");
            await Exports.UploadAsync(first.Inbox, files[^1], SiteHeader + "\n" + string.Join('\n', rows), Ct);
        }

        // Act: each host ingests its three files, all at once.
        await Task.WhenAll(hosts.Select((store, h) => Task.Run(async () =>
        {
            var ingest = new PipelineFactory(store, _time, new RecordingTransport()).Ingest();
            foreach (var name in files.Where((_, i) => i % Hosts == h))
            {
                Assert.Equal(IngestStatus.Processed, (await ingest.RunAsync(name, Ct)).Status);
            }
        }, Ct)));

        // Assert: no host's events are missing from the kept facts, and every partition's digest describes its rows.
        await CompareAsync(first, new SnapshotReader(first, new PipelineFactory(first, _time, new RecordingTransport()).Rules), "after three hosts");
        Assert.Empty(await first.AdverseEvents.DigestProblemsAsync(Ct));
    }

    [Fact]
    public async Task Facts_LostAfterTheirEventsWereWritten_AreRestoredByAReDropThatFindsEveryPartitionUnchanged()
    {
        // Arrange: a full export stored; then the facts of every subject lost, as when a host dies between writing a
        // slice's events and its facts. The events are stored, so the file's retry finds every partition unchanged.
        var store = await azurite.CreateStoreAsync(_time, Ct);
        var pipeline = new PipelineFactory(store, _time, new RecordingTransport());
        var random = new Random(16_029);
        await IngestAsync(store, pipeline, "roster.csv", Roster(random, 30));
        var export = Header + "\n" + string.Join('\n', Enumerable.Range(1, 30).SelectMany(s => Enumerable.Range(1, 4).Select(a => Row(random, $"BJ01-{s:D3}", a))));
        await IngestAsync(store, pipeline, "edc/ae-1.csv", export);
        var facts = store.TableService.GetTableClient(store.Names.SubjectFacts);
        var lost = 0;
        await foreach (var row in facts.QueryAsync<Azure.Data.Tables.TableEntity>(Azure.Data.Tables.TableClient.CreateQueryFilter($"PartitionKey ne {SubjectFactsTable.StatePartition}"), cancellationToken: Ct))
        {
            await facts.DeleteEntityAsync(row, cancellationToken: Ct);
            lost++;
        }

        Assert.True(lost > 20, $"{lost} facts rows");

        // Act: the same export again.
        var again = (await IngestAsync(store, pipeline, "edc/ae-1-again.csv", export + "\n")).Report!.Changes!;

        // Assert: nothing written to the events, and the facts equal their events again.
        Assert.Equal((0, 0, 120), (again.Inserted, again.Updated, again.Unchanged));
        await CompareAsync(store, new SnapshotReader(store, pipeline.Rules), "after the re-drop");
    }

    [Fact]
    public async Task Facts_LeftBehindTheirEvents_AreRepairedByAReDrop_InTouchedAndUntouchedPartitions()
    {
        // Arrange: a full export, then a second one that changes some AEs and lacks five subjects entirely; then the
        // facts put back as they were after the first, as when a host stopped after writing the second's events (and its
        // deletions) but before their facts.
        var store = await azurite.CreateStoreAsync(_time, Ct);
        var pipeline = new PipelineFactory(store, _time, new RecordingTransport());
        var random = new Random(16_031);
        await IngestAsync(store, pipeline, "roster.csv", Roster(random, 30));
        var first = Enumerable.Range(1, 30).SelectMany(s => Enumerable.Range(1, 4).Select(a => ((s, a), Row(random, $"BJ01-{s:D3}", a)))).ToDictionary(r => r.Item1, r => r.Item2);
        await IngestAsync(store, pipeline, "edc/ae-1.csv", Header + "\n" + string.Join('\n', first.Values));
        var saved = await TableBatches.ReadAllAsync(store.TableService.GetTableClient(store.Names.SubjectFacts), null, Ct);

        var second = first.Where(r => r.Key.s > 5).ToDictionary(r => r.Key, r => r.Key.s % 3 == 0 ? Row(random, $"BJ01-{r.Key.s:D3}", r.Key.a) : r.Value);
        var secondExport = Header + "\n" + string.Join('\n', second.Values);
        await IngestAsync(store, pipeline, "edc/ae-2.csv", secondExport);
        await TableBatches.UpsertAsync(store.TableService.GetTableClient(store.Names.SubjectFacts), saved, Ct);

        // Act: the second export again.
        var again = (await IngestAsync(store, pipeline, "edc/ae-2-again.csv", secondExport + "\n")).Report!.Changes!;

        // Assert: nothing written to the events, and the facts of the changed and of the removed subjects equal their
        // events again.
        Assert.Equal((0, 0, second.Count, 0), (again.Inserted, again.Updated, again.Unchanged, again.Deleted));
        await CompareAsync(store, new SnapshotReader(store, pipeline.Rules), "after the re-drop");
    }

    [Fact]
    public async Task Facts_FoldedUnderAnEarlierCoderDecision_AreRefoldedByAReDropOfUnchangedEvents()
    {
        // Arrange: a full export with an uncoded verbatim; a coder decision on it; then the facts put back as they were
        // before the decision, as when a file's fold, begun under the earlier decisions, wrote after the decision's refold.
        var store = await azurite.CreateStoreAsync(_time, Ct);
        var pipeline = new PipelineFactory(store, _time, new RecordingTransport());
        await IngestAsync(store, pipeline, "roster.csv", Roster(new Random(16_037), 10));
        var export = Header + "\n" + string.Join('\n', Enumerable.Range(1, 10).Select(s => $"BJ01-{s:D3},1,{Uncoded[0]},,3,Y,Y,Y,2026-03-0{1 + (s % 9)},,"));
        await IngestAsync(store, pipeline, "edc/ae-1.csv", export);
        var saved = await TableBatches.ReadAllAsync(store.TableService.GetTableClient(store.Names.SubjectFacts), null, Ct);

        await pipeline.Queries().AssignAsync(Uncoded[0], "Esophageal fistula", "coder", "reviewed", Ct);
        await TableBatches.UpsertAsync(store.TableService.GetTableClient(store.Names.SubjectFacts), saved, Ct);

        // Act: the same export again.
        var again = (await IngestAsync(store, pipeline, "edc/ae-1-again.csv", export + "\n")).Report!.Changes!;

        // Assert: the events are unchanged, and the facts count the fistulas the decision coded.
        Assert.Equal((0, 0, 10), (again.Inserted, again.Updated, again.Unchanged));
        await CompareAsync(store, new SnapshotReader(store, pipeline.Rules), "after the re-drop");
    }

    [Fact]
    public async Task Facts_OnANewStore_AreMarkedCompleteByTheFirstFile_SoTheFirstReadDoesNotRebuildThem()
    {
        // Arrange: a first file that raises no alert (an alert's email would read the facts, and so rebuild them).
        var store = await azurite.CreateStoreAsync(_time, Ct);
        var pipeline = new PipelineFactory(store, _time, new RecordingTransport());
        await IngestAsync(store, pipeline, "edc/ae-1.csv", Header + "\nBJ01-001,1,Fatigue,Fatigue,1,N,Y,N,2026-02-10,,\nBJ01-002,1,Anemia,Anemia,2,N,N,,2026-02-11,,");
        var marked = await StateRowAsync(store);

        var facts = await new SnapshotReader(store, pipeline.Rules).Facts.ReadAsync(Ct);

        // A rebuild would have written the state row again (a new ETag).
        Assert.NotNull(marked);
        Assert.Equal(marked.ETag, (await StateRowAsync(store))!.ETag);
        Assert.Equal(["BJ01-001", "BJ01-002"], facts.Select(f => f.SubjectId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Facts_OfEventsStoredBeforeFactsWereKept_AreRebuiltByTheFirstRead_EvenAfterAFileKeptItsOwn()
    {
        // Arrange: an event written to the AE table without facts (as an older build did), then a file through ingest,
        // which keeps the facts of its own subjects only.
        var store = await azurite.CreateStoreAsync(_time, Ct);
        var pipeline = new PipelineFactory(store, _time, new RecordingTransport());
        var early = new Core.AdverseEvents.AdverseEvent
        {
            StudyId = "CAMREL-RT-EC2",
            SubjectId = "BJ01-009",
            AeId = "1",
            Term = Core.Ctcae.CtcaeDictionary.V5.Find("Pneumonitis"),
            Grade = new Core.Ctcae.CtcaeGrade(3),
            Source = new Core.AdverseEvents.SourceReference("old.csv", "sha", 2),
        };
        await store.AdverseEvents.UpsertAsync([early], _time.GetUtcNow(), _time.GetUtcNow(), Ct);
        await IngestAsync(store, pipeline, "ae.csv", Exports.TwoFistulas);

        var facts = await new SnapshotReader(store, pipeline.Rules).Facts.ReadAsync(Ct);

        Assert.Equal(["BJ01-001", "BJ01-002", "BJ01-003", "BJ01-009"], facts.Select(f => f.SubjectId).Order(StringComparer.Ordinal));
    }

    private static async Task<Azure.Data.Tables.TableEntity?> StateRowAsync(SafetyStore store)
    {
        var row = await store.TableService.GetTableClient(store.Names.SubjectFacts)
            .GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>(Camrelizumab.Safety.Storage.Tables.SubjectFactsTable.StatePartition, Camrelizumab.Safety.Storage.Tables.SubjectFactsTable.StatePartition, cancellationToken: Ct);
        return row.HasValue ? row.Value : null;
    }

    [Fact]
    public async Task Facts_OfASubjectWhoseEventsAreAllDeletedAtTheSource_AreRemovedAtIngest()
    {
        var store = await azurite.CreateStoreAsync(_time, Ct);
        var pipeline = new PipelineFactory(store, _time, new RecordingTransport());
        await IngestAsync(store, pipeline, "roster.csv", Exports.Roster);
        await IngestAsync(store, pipeline, "edc/ae-1.csv", Header + "\nBJ01-001,1,Pneumonitis,Pneumonitis,3,N,Y,Y,2026-02-10,,\nBJ01-002,1,Anemia,Anemia,2,N,Y,,2026-02-11,,\nBJ01-002,2,Fatigue,Fatigue,1,N,,,2026-02-12,,");

        await IngestAsync(store, pipeline, "edc/ae-2.csv", Header + "\nBJ01-001,1,Pneumonitis,Pneumonitis,3,N,Y,Y,2026-02-10,,\nBJ01-002,2,Fatigue,Fatigue,1,N,,,2026-02-12,,");
        var afterOne = await StoredFactsAsync(store);
        await IngestAsync(store, pipeline, "edc/ae-3.csv", Header + "\nBJ01-001,1,Pneumonitis,Pneumonitis,3,N,Y,Y,2026-02-10,,");
        var afterBoth = await StoredFactsAsync(store);

        // Read from the table itself, not through the evaluation (which would repair): ingest kept it.
        Assert.Equal(1, afterOne.Single(f => f.SubjectId == "BJ01-002").Events);
        Assert.Equal(["BJ01-001"], afterBoth.Select(f => f.SubjectId));
    }

    private static async Task<List<Core.Aggregation.SubjectFacts>> StoredFactsAsync(SafetyStore store)
    {
        var facts = new List<Core.Aggregation.SubjectFacts>();
        await foreach (var row in store.TableService.GetTableClient(store.Names.SubjectFacts).QueryAsync<Azure.Data.Tables.TableEntity>(cancellationToken: Ct))
        {
            if (row.PartitionKey != Camrelizumab.Safety.Storage.Tables.SubjectFactsTable.StatePartition)
            {
                facts.Add(Core.Aggregation.SubjectFacts.FromJson(row.GetString("Facts")));
            }
        }

        return facts;
    }

    [Fact]
    public async Task Facts_AfterARulesChange_AreRebuiltFromTheEvents()
    {
        // Arrange: facts kept under the default rules.
        var store = await azurite.CreateStoreAsync(_time, Ct);
        var pipeline = new PipelineFactory(store, _time, new RecordingTransport());
        await IngestAsync(store, pipeline, "roster.csv", Exports.Roster);
        await IngestAsync(store, pipeline, "ae.csv", Exports.TwoFistulas);

        // Act: a rules file with a new rule definition id (all fistula terms, any grade, in CAMRT).
        var rules = WithExtraRule(pipeline.Rules);
        var snapshot = new SnapshotReader(store, rules);
        var evaluation = await snapshot.EvaluateAsync(Today, Ct);

        // Assert: the new rule sees the events that were ingested before it existed.
        var added = Assert.Single(evaluation.Evaluations, e => e.Rule.Id == "any-fistula-camrt");
        Assert.Equal(2, added.Events);
        Assert.Equal(EvaluationText.Describe((await snapshot.ReadAsync(Today, Ct)).Evaluation), EvaluationText.Describe(evaluation));
        Assert.Equal(2, (await snapshot.Facts.ReadAsync(Ct)).Count(f => f.QualifyingOnsets.ContainsKey("any-fistula-camrt")));
    }

    [Fact]
    public async Task Recompute_ReproducesAnEvaluationOnKeptFacts_AndAQuarantinedFileLeavesNoFacts()
    {
        var store = await azurite.CreateStoreAsync(_time, Ct);
        var pipeline = new PipelineFactory(store, _time, new RecordingTransport());
        await IngestAsync(store, pipeline, "roster.csv", Exports.Roster);
        await IngestAsync(store, pipeline, "ae.csv", Exports.TwoFistulas);

        var run = await pipeline.Evaluate().RunAsync(Ct);
        var recomputed = await new RecomputeEvaluation(store, Core.Ctcae.CtcaeDictionary.V5).RunAsync(run.Evaluation.EvaluationId, Ct);

        Assert.True(recomputed.Reproduced, string.Join("; ", recomputed.Differences));
        var facts = await new SnapshotReader(store, pipeline.Rules).Facts.ReadAsync(Ct);
        Assert.Equal(["BJ01-001", "BJ01-002", "BJ01-003"], facts.Select(f => f.SubjectId).Order(StringComparer.Ordinal));
    }

    private static DateOnly Today => new(2026, 11, 24);

    /// <summary>The facts as kept (read from the table, before the evaluation could repair them) against the facts folded
    /// from every stored event, then the evaluation on kept facts against the full recompute.</summary>
    private static async Task CompareAsync(SafetyStore store, SnapshotReader snapshot, string when)
    {
        var kept = (await StoredFactsAsync(store)).ToDictionary(f => f.SubjectId, f => f.ToJson(), StringComparer.Ordinal);
        var (full, _, events) = await snapshot.ReadAsync(Today, Ct);
        var folded = Core.Aggregation.SubjectFacts.FoldAll(snapshot.Rules, Core.AdverseEvents.AesiConfiguration.LoadDefaults(), events).ToDictionary(f => f.SubjectId, f => f.ToJson(), StringComparer.Ordinal);
        var wrong = kept.Keys.Union(folded.Keys).Where(s => kept.GetValueOrDefault(s) != folded.GetValueOrDefault(s)).Order(StringComparer.Ordinal).ToList();
        Assert.True(wrong.Count == 0, $"{when}: the kept facts of {wrong.Count} subjects differ from their events' (e.g. {string.Join(", ", wrong.Take(5))})");
        var incremental = await snapshot.EvaluateAsync(Today, Ct);
        Assert.True(EvaluationText.Describe(full) == EvaluationText.Describe(incremental), $"{when}: the evaluation on kept facts differs from the full recompute");
    }

    private static async Task<IngestOutcome> IngestAsync(SafetyStore store, PipelineFactory pipeline, string name, string content)
    {
        await Exports.UploadAsync(store.Inbox, name, content, Ct);
        var outcome = await pipeline.Ingest().RunAsync(name, Ct);
        Assert.Equal(IngestStatus.Processed, outcome.Status);
        Assert.False(outcome.Report!.Changes?.DeletionsHeld ?? false);
        return outcome;
    }

    private static string Roster(Random random, int count)
    {
        var text = new StringBuilder("study_id,subject_id,arm,randomization_date,first_dose_date\n");
        for (var i = 1; i <= count; i++)
        {
            var randomized = new DateOnly(2026, 1, 1).AddDays(i);
            var dose = random.Next(12) == 0 ? "" : randomized.AddDays(random.Next(1, 5)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            text.Append(CultureInfo.InvariantCulture, $"CAMREL-RT-EC2,BJ01-{i:D3},{(random.Next(2) == 0 ? "CAM" : "CAMRT")},{randomized:yyyy-MM-dd},{dose}\n");
        }

        return text.ToString();
    }

    /// <summary>One EDC row: a protocol term or a verbatim awaiting coding, any grade, attribution yes/no/missing,
    /// onset full, month-only or missing; a few fatal. Subjects 251–260 are not in the roster.</summary>
    private static string Row(Random random, string subject, int aeId)
    {
        var uncoded = random.Next(10) == 0;
        var term = uncoded ? "" : Terms[random.Next(Terms.Length)];
        var verbatim = uncoded ? Uncoded[random.Next(Uncoded.Length)] : term;
        var grade = random.Next(1, 6);
        string Flag() => random.Next(3) switch { 0 => "", 1 => "Y", _ => "N" };
        var onset = new DateOnly(2026, 1, 5).AddDays(random.Next(300));
        var onsetText = random.Next(12) switch { 0 => "", 1 => onset.ToString("yyyy-MM", CultureInfo.InvariantCulture), _ => onset.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) };
        var outcome = grade == 5 ? "FATAL" : "";
        return string.Create(CultureInfo.InvariantCulture, $"{subject},{aeId},{verbatim},{term},{grade},{Flag()},{Flag()},{Flag()},{onsetText},,{outcome}");
    }

    /// <summary>The rules file with one more rule definition: a new content hash, so the kept facts are stale.</summary>
    private static SafetyRules WithExtraRule(SafetyRules rules)
    {
        var text = Encoding.UTF8.GetString(rules.Content.Span).Replace("\"rules\": [", """
            "rules": [
                {
                  "id": "any-fistula-camrt",
                  "title": "Any fistula (test)",
                  "arm": "CAMRT",
                  "event": { "terms": [ "Esophageal fistula", "Tracheal fistula" ], "minGrade": 1, "attribution": "any", "windowDays": 365 },
                  "method": "pocock", "p0": 0.08, "alpha": 0.10, "maxPatients": 60, "p1": 0.20,
                  "recipients": [ "safetyPhysicians" ],
                  "source": "test only"
                },
            """, StringComparison.Ordinal);
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        return SafetyRules.Load(stream, "rules with a new definition");
    }
}
