using System.CommandLine;
using Camrelizumab.Safety.Runner.CommandLine;
using Camrelizumab.Safety.Runner.Hosting;
using Camrelizumab.Safety.Storage.Pipeline;
using Microsoft.Extensions.DependencyInjection;

namespace Camrelizumab.Safety.Runner.Commands;

/// <summary><c>safety ack ID</c>, <c>safety deletions confirm SHA256</c> and <c>safety report --kind closed|open --out FILE</c>.</summary>
internal static class AlertCommands
{
    public static Command Ack()
    {
        var id = new Argument<string>("id") { Description = "The alert id from the email (e.g. fistula-camrt.camrt.1)" };
        var by = new Option<string>("--by") { Description = "Who acknowledges", DefaultValueFactory = _ => Environment.UserName };
        var command = new Command("ack", "Acknowledge an alert so that it is not escalated.") { id, by };
        var storage = new StorageTarget.Choice(command);
        command.SetAction((parse, ct) => StorageCommand.WithRuntimeAsync(storage.Resolve(parse), new Dictionary<string, string?>(), async runtime =>
        {
            var found = await runtime.Store.AlertLedger.AcknowledgeAsync(parse.GetValue(id)!, parse.GetValue(by)!, ct);
            Console.WriteLine(found ? $"Acknowledged {parse.GetValue(id)} as {parse.GetValue(by)}." : $"No alert has id {parse.GetValue(id)}.");
            return found ? 0 : 2;
        }, ct));
        return command;
    }

    public static Command Deletions()
    {
        var sha = new Argument<string>("sha256") { Description = "The SHA-256 of the full export whose deletions were held (from its ingest report or email)" };
        var confirm = new Command("confirm", "Apply the deletions held back from a full export that lacked more than half of its source's AEs.") { sha };
        var storage = new StorageTarget.Choice(confirm);
        confirm.SetAction((parse, ct) => StorageCommand.WithRuntimeAsync(storage.Resolve(parse), new Dictionary<string, string?>(), async runtime =>
        {
            try
            {
                var (source, deleted) = await runtime.Services.GetRequiredService<IngestAdverseEventExport>().ConfirmDeletionsAsync(parse.GetValue(sha)!, ct);
                Console.WriteLine($"Source {source}: {deleted} AE(s) marked deleted (kept with their history).");
                return 0;
            }
            catch (InvalidOperationException e)
            {
                throw new InputError($"{parse.GetValue(sha)}: {e.Message}");
            }
        }, ct));
        return new Command("deletions", "AEs marked deleted by full exports.") { confirm };
    }

    public static Command Report()
    {
        var kind = new Option<string>("--kind") { Description = "closed (by arm, DSMB only) or open (pooled)", Required = true };
        kind.AcceptOnlyFromAmong("closed", "open");
        var output = new Option<FileInfo>("--out") { Description = "The HTML file to write; CSV tables go beside it", Required = true }.MustBeWritable("dsmb-closed.html");
        var asOf = new Option<DateOnly?>("--as-of") { Description = "Data as of this date (default today, UTC)" };
        var command = new Command("report", "Render a DSMB summary from the stored data, on demand.") { kind, output, asOf };
        var storage = new StorageTarget.Choice(command);
        command.SetAction((parse, ct) => StorageCommand.WithRuntimeAsync(storage.Resolve(parse), new Dictionary<string, string?>(), async runtime =>
        {
            var publish = runtime.Services.GetRequiredService<PublishDsmbSummary>();
            var time = runtime.Services.GetRequiredService<TimeProvider>();
            var input = await publish.BuildInputAsync(parse.GetValue(asOf) ?? DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), ct);
            var closed = parse.GetValue(kind) == "closed";
            var file = parse.GetValue(output)!;
            Inputs.CreateDirectory("--out", file.DirectoryName!);
            await File.WriteAllTextAsync(file.FullName, closed ? Core.Reporting.DsmbReport.RenderClosed(input) : Core.Reporting.DsmbReport.RenderOpen(input), ct);
            foreach (var (name, csv) in Core.Reporting.DsmbTables.Render(input, closed))
            {
                await File.WriteAllTextAsync(Path.Combine(file.DirectoryName!, $"{Path.GetFileNameWithoutExtension(file.Name)}.{name}"), csv, ct);
            }

            Console.WriteLine($"Wrote {file.FullName} (evaluation {input.EvaluationId}).");
            return 0;
        }, ct));
        return command;
    }
}
