using System.CommandLine;
using Camrelizumab.Safety.Runner.CommandLine;
using Camrelizumab.Safety.Runner.Hosting;
using Camrelizumab.Safety.Core.Stopping;
using Camrelizumab.Safety.Storage.Mail;
using Camrelizumab.Safety.Storage.Pipeline;
using Camrelizumab.Safety.Storage.Tables;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Camrelizumab.Safety.Runner.Commands;

/// <summary>The operator commands on stored data: <c>ack</c>, <c>alerts</c>, <c>evaluate</c>, <c>publish</c>, <c>deletions confirm</c> and <c>report</c>.</summary>
internal static class AlertCommands
{
    /// <summary>The alerts a person acknowledges: crossings, corrections and expedited reports (escalations are their re-sends).</summary>
    private static readonly MessageCategory[] Acknowledgeable = [MessageCategory.Crossing, MessageCategory.Correction, MessageCategory.PossibleCrossing, MessageCategory.Expedited];

    public static Command Ack()
    {
        var id = new Argument<string>("id") { Description = "The alert id from the email (e.g. fistula-camrt.camrt.1); any case" };
        var by = new Option<string>("--by") { Description = "Who acknowledges", DefaultValueFactory = _ => Environment.UserName };
        var command = new Command("ack", "Acknowledge an alert so that it is not escalated.") { id, by };
        var storage = new StorageTarget.Choice(command);
        command.SetAction((parse, ct) => StorageCommand.WithRuntimeAsync(storage.Resolve(parse), new Dictionary<string, string?>(), async runtime =>
        {
            var (alertId, who) = (parse.GetValue(id)!, parse.GetValue(by)!);
            if (string.IsNullOrWhiteSpace(who))
            {
                throw new InputError("--by is empty; give the name of the person acknowledging.");
            }

            var done = await runtime.Store.AlertLedger.AcknowledgeAsync(alertId, who, ct)
                ?? throw new InputError($"no alert has id {alertId}; `safety alerts` lists them (ids are in each alert email).");
            Console.WriteLine(done.AlreadyAcknowledged
                ? $"{done.AlertId} was already acknowledged by {done.By} at {done.At:yyyy-MM-dd HH:mm}Z; your acknowledgement as {who} is recorded in its trail."
                : $"Acknowledged {done.AlertId} as {who} at {done.At:yyyy-MM-dd HH:mm}Z; it will not be escalated.");
            return SafetyCommandLine.Ok;
        }, ct));
        return command;
    }

    public static Command Alerts()
    {
        var pending = new Option<bool>("--pending") { Description = "Only alerts not sent yet (mail was down)" };
        var unacknowledged = new Option<bool>("--unacknowledged") { Description = "Only sent alerts nobody has acknowledged" };
        var command = new Command("alerts", "List alerts with their status, who acknowledged them and when.") { pending, unacknowledged };
        var storage = new StorageTarget.Choice(command);
        command.SetAction((parse, ct) => StorageCommand.WithRuntimeAsync(storage.Resolve(parse), new Dictionary<string, string?>(), async runtime =>
        {
            var entries = (await runtime.Store.AlertLedger.ReadEntriesAsync(Acknowledgeable, ct))
                .Where(e => !parse.GetValue(pending) || e.Status == LedgerStatus.Pending)
                .Where(e => !parse.GetValue(unacknowledged) || (e.Status == LedgerStatus.Sent && e.AcknowledgedAt is null))
                .ToList();
            var table = new Table().AddColumns("Alert id", "Kind", "Status", "Sent", "Acknowledged", "Escalated", "Subject");
            foreach (var e in entries)
            {
                table.AddRow(
                    Markup.Escape(e.Id),
                    Markup.Escape(e.Category),
                    e.Status == LedgerStatus.Pending ? "[yellow]pending[/]" : e.ClearedAt is null ? "sent" : "sent, cleared",
                    Time(e.SentAt),
                    e.AcknowledgedAt is { } at ? Markup.Escape($"{e.AcknowledgedBy}, {Time(at)}") : "[red]no[/]",
                    Time(e.EscalatedAt),
                    Markup.Escape(e.Subject ?? ""));
            }

            Terminal.Write(table);
            Console.WriteLine($"{entries.Count} alert(s). Acknowledge one with: safety ack ID --by \"Your Name\"");
            return SafetyCommandLine.Ok;
        }, ct));
        return command;
    }

    public static Command Evaluate()
    {
        var command = new Command("evaluate", "Evaluate the stopping rules now, as the timer would, and send what it finds.");
        var storage = new StorageTarget.Choice(command);
        command.SetAction((parse, ct) => StorageCommand.WithRuntimeAsync(storage.Resolve(parse), new Dictionary<string, string?>(), async runtime =>
        {
            if (!await runtime.EvaluateTimer.TriggerAsync(runtime.Services.GetRequiredService<TimeProvider>().GetUtcNow(), ct) || runtime.LastEvaluation is not { } run)
            {
                throw new InputError("an evaluation is running right now (in safety run or another command); try again in a minute.");
            }

            var crossed = run.Evaluation.Evaluations.Count(e => e.Status == RuleStatus.Crossed);
            var delivery = await runtime.Outbox.DeliverDueAsync(ct);
            Console.WriteLine($"Evaluation {run.Evaluation.EvaluationId} as of {run.Evaluation.AsOf:yyyy-MM-dd}: {run.Evaluation.Evaluations.Count} rule result(s), {crossed} crossed; "
                + $"{run.NewAlerts.Count} new alert(s){(run.NewAlerts.Count > 0 ? $" ({string.Join(", ", run.NewAlerts)})" : "")}, {DeliveryText(delivery)}.");
            return crossed > 0 ? SafetyCommandLine.ProblemFound : SafetyCommandLine.Ok;
        }, ct));
        return command;
    }

    public static Command Publish()
    {
        var command = new Command("publish", "Publish the DSMB summaries now, as the weekly timer would, and email the closed one to the DSMB.");
        var storage = new StorageTarget.Choice(command);
        command.SetAction((parse, ct) => StorageCommand.WithRuntimeAsync(storage.Resolve(parse), new Dictionary<string, string?>(), async runtime =>
        {
            if (!await runtime.PublishTimer.TriggerAsync(runtime.Services.GetRequiredService<TimeProvider>().GetUtcNow(), ct) || runtime.LastSummary is not { } summary)
            {
                throw new InputError("a DSMB summary is being published right now (in safety run or another command); try again in a minute.");
            }

            var delivery = await runtime.Outbox.DeliverDueAsync(ct);
            Console.WriteLine($"Published {runtime.Store.Names.DsmbClosed}/{summary.ClosedBlob} and {runtime.Store.Names.DsmbOpen}/{summary.OpenBlob}; {DeliveryText(delivery)}.");
            return SafetyCommandLine.Ok;
        }, ct));
        return command;
    }

    /// <summary>"3 message(s) sent", with the failures when a send failed (they are retried after a back-off).</summary>
    internal static string DeliveryText(DeliveryRun delivery) =>
        $"{delivery.Sent} message(s) sent" + (delivery.Failed > 0 ? $", {delivery.Failed} failed (retried by safety run after a back-off)" : "");

    private static string Time(DateTimeOffset? at) => at is { } t ? $"{t:yyyy-MM-dd HH:mm}Z" : "";

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
