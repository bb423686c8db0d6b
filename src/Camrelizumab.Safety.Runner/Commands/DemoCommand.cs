using System.CommandLine;
using System.Text;
using Azure.Storage.Blobs;
using Camrelizumab.Safety.Core.Stopping;
using Camrelizumab.Safety.Core.Text;
using Camrelizumab.Safety.Runner.CommandLine;
using Camrelizumab.Safety.Runner.Demo;
using Camrelizumab.Safety.Runner.Hosting;
using Camrelizumab.Safety.Storage.Local;
using Camrelizumab.Safety.Storage.Mail;
using Camrelizumab.Safety.Storage.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Camrelizumab.Safety.Runner.Commands;

/// <summary>
/// <c>safety demo</c>: the whole pipeline on a fresh machine. Starts Azurite, drops the synthetic roster and AE export
/// (plus a duplicate and a broken file) into <c>ae-inbox</c>, runs the runner's trigger path, and leaves the mail,
/// the DSMB summary and the ingest reports in the output folder.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Where to leave mail/, reports/, ingest/ and input/", DefaultValueFactory = _ => new DirectoryInfo("demo-output") };
        var command = new Command("demo", "Run the whole pipeline on a synthetic dataset, end to end, on a local Azurite.") { output };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(output)!, ct));
        return command;
    }

    private static async Task<int> RunAsync(DirectoryInfo output, CancellationToken cancellationToken)
    {
        Inputs.CreateDirectory("--out", output.FullName);
        var console = Terminal.Console;
        console.MarkupLine("[bold]Camrelizumab.Safety demo[/]: synthetic data for two arms of 60, through ingest → aggregate → monitor → report.");
        if (output.Exists)
        {
            foreach (var sub in new[] { "mail", "reports", "ingest", "input" })
            {
                var dir = Path.Combine(output.FullName, sub);
                if (Directory.Exists(dir))
                {
                    Directory.Delete(dir, recursive: true);
                }
            }
        }

        var mail = Directory.CreateDirectory(Path.Combine(output.FullName, "mail"));
        var reports = Directory.CreateDirectory(Path.Combine(output.FullName, "reports"));
        var ingestDir = Directory.CreateDirectory(Path.Combine(output.FullName, "ingest"));
        var input = Directory.CreateDirectory(Path.Combine(output.FullName, "input"));

        AzuriteProcess? azurite = null;
        SafetyRuntime? runtime = null;
        List<IngestOutcome> outcomes = [];
        List<IngestOutcome> secondDrop = [];
        EvaluationRun? evaluation = null;
        EvaluationRun? repeat = null;
        EvaluationRun? afterCoding = null;
        var sent = new int[3];
        string? summaryBlob = null;
        List<string> ledger = [];
        try
        {
            await console.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new SpinnerColumn(), new ElapsedTimeColumn()).StartAsync(async progress =>
            {
                var step = progress.AddTask("Starting Azurite on loopback (npm ci if needed)", maxValue: 1);
                azurite = await AzuriteProcess.StartAsync(location: null, install: true, cancellationToken);
                step.Increment(1);

                step = progress.AddTask("Creating containers and tables", maxValue: 1);
                runtime = await SafetyRuntime.StartAsync(
                    new Dictionary<string, string?>
                    {
                        ["Storage:ConnectionString"] = azurite.ConnectionString,
                        ["Mail:PickupDirectory"] = mail.FullName,
                        ["Mail:Notice"] = "From `safety demo`: its storage was in memory and is gone, so the `safety ack` and other commands below cannot reach these alerts. To try them, start `safety run` and drop files with `safety drop` (see the README).",
                        ["Mail:Smtp:Host"] = "",
                        ["Runner:RetryBaseSeconds"] = "0.1",
                    },
                    LogLevel.None,
                    cancellationToken);
                step.Increment(1);

                step = progress.AddTask("Dropping the roster, EX, DS, the AE export and a broken file into ae-inbox", maxValue: 1);
                var data = DemoDataset.Generate(DateOnly.FromDateTime(DateTime.UtcNow));
                await File.WriteAllTextAsync(Path.Combine(input.FullName, "roster.csv"), data.Roster, cancellationToken);
                await File.WriteAllTextAsync(Path.Combine(input.FullName, "ae-export.csv"), data.AdverseEvents, cancellationToken);
                await File.WriteAllTextAsync(Path.Combine(input.FullName, "ex.csv"), data.Exposure, cancellationToken);
                await File.WriteAllTextAsync(Path.Combine(input.FullName, "ds.csv"), data.Disposition, cancellationToken);
                await Upload(runtime.Store.Inbox, "site-all/roster.csv", data.Roster, cancellationToken);
                await Upload(runtime.Store.Inbox, "site-all/ex.csv", data.Exposure, cancellationToken);
                await Upload(runtime.Store.Inbox, "site-all/ds.csv", data.Disposition, cancellationToken);
                await Upload(runtime.Store.Inbox, "site-all/ae-export.csv", data.AdverseEvents, cancellationToken);
                const string broken = "subject_id,ae_id,ctcae_term,grade\nBJ01-001,1,\"Anemia,2\n";
                await File.WriteAllTextAsync(Path.Combine(input.FullName, "ae-export-broken.csv"), broken, cancellationToken);
                await Upload(runtime.Store.Inbox, "site-sh02/ae-export-broken.csv", broken, cancellationToken);
                step.Increment(1);

                step = progress.AddTask("Ingesting through the blob-trigger path (the broken file is retried, then quarantined)", maxValue: 1);
                outcomes = await runtime.Watcher.DrainAsync(cancellationToken);
                await runtime.Outbox.DeliverDueAsync(cancellationToken);
                step.Increment(1);

                step = progress.AddTask("Dropping the same AE export again under another name", maxValue: 1);
                await Upload(runtime.Store.Inbox, "site-all/ae-export-resent.csv", data.AdverseEvents, cancellationToken);
                secondDrop = await runtime.Watcher.DrainAsync(cancellationToken);
                await runtime.Outbox.DeliverDueAsync(cancellationToken);
                step.Increment(1);

                step = progress.AddTask("Timer: EvaluateStoppingRules (twice: the second run must send nothing)", maxValue: 1);
                await runtime.EvaluateTimer.TriggerAsync(DateTimeOffset.UtcNow, cancellationToken);
                evaluation = runtime.LastEvaluation;
                sent[0] = (await runtime.Outbox.DeliverDueAsync(cancellationToken)).Sent;
                await runtime.EvaluateTimer.TriggerAsync(DateTimeOffset.UtcNow, cancellationToken);
                repeat = runtime.LastEvaluation;
                sent[1] = (await runtime.Outbox.DeliverDueAsync(cancellationToken)).Sent;
                step.Increment(1);

                step = progress.AddTask($"Coder: safety coding assign '{DemoDataset.UncodedVerbatim}' → {DemoDataset.UncodedAssignedTerm}; evaluate again", maxValue: 1);
                await runtime.Services.GetRequiredService<ResolveQueries>().AssignAsync(
                    DemoDataset.UncodedVerbatim, DemoDataset.UncodedAssignedTerm, "Demo coder", "Collapse with transient loss of consciousness per the site's narrative", cancellationToken);
                await runtime.EvaluateTimer.TriggerAsync(DateTimeOffset.UtcNow.AddHours(1), cancellationToken);
                afterCoding = runtime.LastEvaluation;
                sent[2] = (await runtime.Outbox.DeliverDueAsync(cancellationToken)).Sent;
                step.Increment(1);

                step = progress.AddTask("Timer: PublishDsmbSummary", maxValue: 1);
                await runtime.PublishTimer.TriggerAsync(DateTimeOffset.UtcNow, cancellationToken);
                summaryBlob = runtime.LastSummary?.ClosedBlob;
                await runtime.Outbox.DeliverDueAsync(cancellationToken);
                await Download(runtime.Store.DsmbClosed, Path.Combine(reports.FullName, "closed"), cancellationToken);
                await Download(runtime.Store.DsmbOpen, Path.Combine(reports.FullName, "open"), cancellationToken);
                await Download(runtime.Store.IngestReports, ingestDir.FullName, cancellationToken);
                foreach (var category in new[] { MessageCategory.Expedited, MessageCategory.ExpeditedUpdate, MessageCategory.Crossing, MessageCategory.PossibleCrossing, MessageCategory.Summary })
                {
                    foreach (var entry in await runtime.Store.AlertLedger.ReadEntriesAsync(category, cancellationToken))
                    {
                        ledger.Add($"{KebabCase.Name(category),-10} {entry.Status,-8} {entry.Subject}");
                    }
                }
                await Download(runtime.Store.Quarantine, Path.Combine(ingestDir.FullName, "quarantine"), cancellationToken);
                step.Increment(1);
            });

            Describe(console, output, outcomes, secondDrop, evaluation!, repeat!, afterCoding!, sent, summaryBlob!, mail, ledger);
            return 0;
        }
        finally
        {
            if (runtime is not null)
            {
                await runtime.DisposeAsync();
            }

            if (azurite is not null)
            {
                await azurite.DisposeAsync();
            }
        }
    }

    private static void Describe(IAnsiConsole console, DirectoryInfo output, List<IngestOutcome> outcomes, List<IngestOutcome> secondDrop, EvaluationRun first, EvaluationRun second, EvaluationRun afterCoding, int[] sent, string summaryBlob, DirectoryInfo mail, List<string> ledger)
    {
        console.WriteLine();
        var files = new Table().Title("[bold]1. Ingest[/] (every row that names a subject and an event is stored; problems are queries)").AddColumns("File", "Outcome", "Rows read", "Stored", "With queries", "Refused");
        foreach (var o in outcomes.Concat(secondDrop))
        {
            files.AddRow(
                Markup.Escape(o.BlobName),
                o.Status switch { IngestStatus.Quarantined => "[red]quarantined[/]", IngestStatus.Duplicate => "[grey]duplicate: nothing changed[/]", IngestStatus.InProgress => "[grey]being ingested by another process[/]", _ => "[green]processed[/]" },
                o.Report?.RowsRead.ToString() ?? "–",
                o.Report?.RowsAccepted.ToString() ?? "–",
                o.Report?.EventsWithQueries.ToString() ?? "–",
                o.Report?.RowsRejected.ToString() ?? "–");
        }

        console.Write(files);
        foreach (var o in outcomes.Where(o => o.Report is { RowsRejected: > 0 }))
        {
            foreach (var r in o.Report!.Rejections)
            {
                console.MarkupLineInterpolated($"  [yellow]refused[/] {r.FileName} line {r.Line}, column {r.Column}: {r.Message}");
            }
        }

        foreach (var (blob, q) in outcomes.Where(o => o.Report is not null).SelectMany(o => o.Report!.Queries.Select(q => (o.BlobName, q))))
        {
            console.MarkupLineInterpolated($"  [yellow]query[/] {blob} line {q.Line}, subject {q.SubjectId}, AE {q.AeId}, column {q.Column}: {q.Code}. {Core.Queries.QueryMessages.Describe(q.Query.Kind, null)}");
        }

        foreach (var q in outcomes.Where(o => o.Report is not null).SelectMany(o => o.Report!.LabGradeQueries.Select(q => (o.BlobName, Query: q))))
        {
            console.MarkupLineInterpolated($"  [yellow]grade query[/] {q.BlobName} line {q.Query.Line}: {q.Query.Term} reported grade {q.Query.ReportedGrade}, its lab result is CTCAE grade {q.Query.LabGrade} (kept as reported until the site answers)");
        }

        foreach (var o in outcomes.Where(o => o.Status == IngestStatus.Quarantined))
        {
            console.MarkupLineInterpolated($"  [red]quarantined[/] {o.BlobName} after {o.Report!.AttemptErrors.Count} attempt(s): {o.Report.FileError}");
        }

        var arms = new Table().Title("[bold]2. Aggregate[/] (subjects, once at worst grade)").AddColumns("Arm", "N", "Any AE", "Grade ≥3", "Grade 5", "Serious", "Related");
        foreach (var a in first.Evaluation.Summary.Arms)
        {
            arms.AddRow(Markup.Escape(a.ArmLabel), a.Subjects.ToString(), a.SubjectsWithAnyEvent.ToString(), a.SubjectsWithGrade3OrWorse.ToString(), a.SubjectsWithGrade5.ToString(), a.SubjectsWithSerious.ToString(), a.SubjectsWithTreatmentRelated.ToString());
        }

        console.Write(arms);
        var rules = new Table().Title("[bold]3. Monitor[/] (exact Pocock-type boundaries)").AddColumns("Rule", "Arm", "Status", "Crossed at", "Events/evaluated/pending", "Distance");
        foreach (var e in first.Evaluation.Evaluations)
        {
            rules.AddRow(
                Markup.Escape(e.Rule.Id),
                e.Rule.Arm,
                e.Status == RuleStatus.Crossed ? "[red bold]CROSSED[/]" : e.Status.ToString(),
                e.Crossing is { } c ? $"look {c.Look}: {c.Events} ≥ {c.Boundary}" : "–",
                $"{e.Events}/{e.Evaluable}/{e.Pending}",
                Markup.Escape(e.DistanceText));
        }

        console.Write(rules);
        console.MarkupLineInterpolated($"First evaluation {first.Evaluation.EvaluationId}: {first.NewAlerts.Count} new alert(s), {sent[0]} message(s) sent. Events awaiting coding: {first.Evaluation.DataQueries.AwaitingCodingText}.");
        console.MarkupLineInterpolated($"Second evaluation on the same data: {second.NewAlerts.Count} new alert(s), {sent[1]} message(s) sent.");
        console.MarkupLineInterpolated($"After the coder assigned '{DemoDataset.UncodedVerbatim}' → {DemoDataset.UncodedAssignedTerm}: evaluation {afterCoding.Evaluation.EvaluationId}, events awaiting coding {afterCoding.Evaluation.DataQueries.AwaitingCodingText}; {afterCoding.NewAlerts.Count} new alert(s), {sent[2]} message(s) sent.");
        console.WriteLine();
        console.MarkupLine("[bold]Alert ledger[/] (expedited alerts are raised at ingest; crossings by the timer; each sent once):");
        foreach (var line in ledger)
        {
            console.MarkupLineInterpolated($"  {line}");
        }

        console.WriteLine();
        console.MarkupLine("[bold]4. Report[/]");
        console.MarkupLineInterpolated($"  DSMB closed summary: dsmb-closed/{summaryBlob}, open (pooled) summary in dsmb-open, CSV tables beside each");
        console.WriteLine();
        console.MarkupLineInterpolated($"Left in {output.FullName}:");
        console.MarkupLineInterpolated($"  mail/     {mail.GetFiles("*.eml").Length} .eml message(s)");
        console.MarkupLineInterpolated($"  reports/  closed/ (by arm, DSMB) and open/ (pooled) summaries with CSV tables; open the .html in a browser");
        console.MarkupLineInterpolated($"  ingest/   ingest reports (JSON), rejected rows (CSV), quarantine error reports");
        console.MarkupLineInterpolated($"  input/    the synthetic files that were dropped");
    }

    private static async Task Upload(BlobContainerClient container, string name, string content, CancellationToken cancellationToken) =>
        await container.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(Encoding.UTF8.GetBytes(content)), overwrite: true, cancellationToken);

    private static async Task Download(BlobContainerClient container, string directory, CancellationToken cancellationToken)
    {
        await foreach (var blob in container.GetBlobsAsync(cancellationToken: cancellationToken))
        {
            var path = Path.Combine(directory, blob.Name.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await container.GetBlobClient(blob.Name).DownloadToAsync(path, cancellationToken);
        }
    }
}
