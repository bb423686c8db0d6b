using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Camrelizumab.Safety.Runner.CommandLine;
using Camrelizumab.Safety.Runner.Hosting;
using Camrelizumab.Safety.Storage.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Camrelizumab.Safety.Runner.Commands;

/// <summary>
/// <c>safety queries</c> and <c>safety coding pending|assign|revoke|history</c>: the open data queries on stored events,
/// and the coder's decisions that resolve the uncoded ones, with their audit trail.
/// </summary>
internal static class QueryCommands
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Queries()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON: every event with an open query, and the events of subjects not in any roster" };
        var command = new Command("queries", "List the open data queries on stored events (each event is stored and counted conservatively meanwhile).") { json };
        var storage = new StorageTarget.Choice(command);
        command.SetAction((parse, ct) => StorageCommand.WithRuntimeAsync(storage.Resolve(parse), new Dictionary<string, string?>(), async runtime =>
        {
            var open = await runtime.Services.GetRequiredService<ResolveQueries>().ListOpenAsync(ct);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    summary = open.Summary,
                    queries = open.EventsWithQueries.SelectMany(e => e.Queries.Select(q => new
                    {
                        study = e.StudyId,
                        subject = e.SubjectId,
                        ae = e.AeId,
                        term = e.TermName,
                        grade = e.Grade.Value,
                        serious = e.Serious,
                        kind = q.Code,
                        column = q.Column,
                        raw = q.RawValue,
                        message = q.Message,
                        source = e.Source.FileName,
                        line = e.Source.Line,
                    })),
                    eventsWithoutRosterSubject = open.EventsWithoutRosterSubject.Select(e => new { study = e.StudyId, subject = e.SubjectId, ae = e.AeId, source = e.Source.FileName, line = e.Source.Line }),
                }, Json));
                return SafetyCommandLine.Ok;
            }

            var table = new Table().AddColumns("Subject", "AE", "Term", "Grade", "Query", "Column", "What it means");
            foreach (var e in open.EventsWithQueries)
            {
                foreach (var q in e.Queries)
                {
                    table.AddRow(Markup.Escape(e.SubjectId), Markup.Escape(e.AeId), Markup.Escape(e.TermName), e.Grade.Value.ToString(CultureInfo.InvariantCulture),
                        q.IsCoding ? "[yellow]" + q.Code + "[/]" : q.Code, Markup.Escape(q.Column), Markup.Escape(q.Message));
                }
            }

            Terminal.Write(table);
            Console.WriteLine($"Events awaiting coding: {open.Summary.AwaitingCodingText}.");
            Console.WriteLine($"Events under a grade query: {open.Summary.GradeQueryText}.");
            Console.WriteLine(open.EventsWithoutRosterSubject.Count == 0
                ? "Events for subjects not in the roster: none."
                : $"Events for subjects not in the roster (held, counted in their arm as soon as a roster names them): {string.Join(", ", open.EventsWithoutRosterSubject.Select(e => $"{e.SubjectId}/{e.AeId}"))}.");
            return SafetyCommandLine.Ok;
        }, ct));
        return command;
    }

    public static Command Coding()
    {
        return new Command("coding", "Resolve events awaiting coding: list them, assign a CTCAE v5.0 term to a verbatim, revoke, see the history.")
        {
            Pending(),
            Assign(),
            Revoke(),
            History(),
        };
    }

    private static Command Pending()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var showArms = new Option<bool>("--show-arms") { Description = "Show events per arm (for unblinded, closed-role users only)" };
        var command = new Command("pending", "List the distinct verbatims awaiting coding: events, subjects, worst grade, serious events, suggestions.") { json, showArms };
        var storage = new StorageTarget.Choice(command);
        command.SetAction((parse, ct) => StorageCommand.WithRuntimeAsync(storage.Resolve(parse), new Dictionary<string, string?>(), async runtime =>
        {
            var pending = await runtime.Services.GetRequiredService<ResolveQueries>().PendingCodingAsync(ct);
            var arms = parse.GetValue(showArms);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(pending.Select(p => new
                {
                    verbatim = p.Verbatim,
                    events = p.Events,
                    subjects = p.Subjects,
                    worstGrade = p.WorstGrade,
                    serious = p.Serious,
                    byArm = arms ? p.ByArm : null,
                    suggestions = p.Suggestions.Select(s => new { term = s.Term.Name, similarity = Math.Round(s.Similarity, 4) }),
                }), Json));
                return SafetyCommandLine.Ok;
            }

            var table = new Table().AddColumns("Verbatim", "Events", "Subjects", "Worst grade", "Serious", "Suggestions");
            if (arms)
            {
                table.AddColumn("By arm");
            }

            foreach (var p in pending)
            {
                List<string> cells =
                [
                    Markup.Escape(p.Verbatim), p.Events.ToString(CultureInfo.InvariantCulture), p.Subjects.ToString(CultureInfo.InvariantCulture),
                    p.WorstGrade.ToString(CultureInfo.InvariantCulture), p.Serious > 0 ? $"[red]{p.Serious}[/]" : "0",
                    Markup.Escape(string.Join("; ", p.Suggestions.Select(s => s.Term.Name))),
                ];
                if (arms)
                {
                    cells.Add(Markup.Escape(string.Join(", ", p.ByArm.Select(a => $"{a.Key} {a.Value}"))));
                }

                table.AddRow([.. cells]);
            }

            Terminal.Write(table);
            Console.WriteLine(pending.Count == 0
                ? "No event awaits coding."
                : $"{pending.Count} verbatim(s) await coding. Assign one with: safety coding assign --verbatim TEXT --term TERM --by NAME --reason TEXT");
            return SafetyCommandLine.Ok;
        }, ct));
        return command;
    }

    private static Command Assign()
    {
        var verbatim = new Option<string>("--verbatim") { Description = "The verbatim text as written (case, spacing and punctuation do not matter)", Required = true };
        var term = new Option<string>("--term") { Description = "The CTCAE v5.0 term (name or MedDRA code)", Required = true };
        var (by, reason) = DecisionOptions();
        var command = new Command("assign", "Record a coder decision: past and future events with this verbatim are coded to the term from the next evaluation on.") { verbatim, term, by, reason };
        var storage = new StorageTarget.Choice(command);
        command.SetAction((parse, ct) => RecordAsync(storage.Resolve(parse), (queries, token) =>
            queries.AssignAsync(parse.GetValue(verbatim)!, parse.GetValue(term)!, parse.GetValue(by)!, parse.GetValue(reason)!, token),
            (decision, recorded) => recorded
                ? $"Recorded: '{decision.Verbatim}' → {decision.Term!.Name} (version {decision.Version}{(decision.PreviousTerm is { } p ? $", was {p}" : "")}) by {decision.DecidedBy}. The next evaluation applies it."
                : $"Unchanged: '{decision.Verbatim}' is already coded to {decision.Term!.Name} by {decision.DecidedBy} for the same reason (version {decision.Version}).", ct));
        return command;
    }

    private static Command Revoke()
    {
        var verbatim = new Option<string>("--verbatim") { Description = "The verbatim whose decision is revoked", Required = true };
        var (by, reason) = DecisionOptions();
        var command = new Command("revoke", "Revoke the coder decision for a verbatim: its events await coding again (audited like an assignment).") { verbatim, by, reason };
        var storage = new StorageTarget.Choice(command);
        command.SetAction((parse, ct) => RecordAsync(storage.Resolve(parse), (queries, token) =>
            queries.RevokeAsync(parse.GetValue(verbatim)!, parse.GetValue(by)!, parse.GetValue(reason)!, token),
            (decision, _) => $"Revoked: '{decision.Verbatim}' (was {decision.PreviousTerm}; version {decision.Version}) by {decision.DecidedBy}. Its events await coding again from the next evaluation on.", ct));
        return command;
    }

    private static Command History()
    {
        var verbatim = new Option<string>("--verbatim") { Description = "The verbatim whose decisions to list", Required = true };
        var command = new Command("history", "Every version of the coder decision for a verbatim: who, when, why, what it replaced.") { verbatim };
        var storage = new StorageTarget.Choice(command);
        command.SetAction((parse, ct) => StorageCommand.WithRuntimeAsync(storage.Resolve(parse), new Dictionary<string, string?>(), async runtime =>
        {
            var versions = await runtime.Services.GetRequiredService<ResolveQueries>().HistoryAsync(parse.GetValue(verbatim)!, ct);
            if (versions.Count == 0)
            {
                Console.WriteLine($"No coder decision has been recorded for '{parse.GetValue(verbatim)}'.");
                return SafetyCommandLine.Ok;
            }

            var table = new Table().AddColumns("Version", "Term", "Previous", "By", "At (UTC)", "Reason");
            foreach (var d in versions)
            {
                table.AddRow(d.Version.ToString(CultureInfo.InvariantCulture), Markup.Escape(d.Term?.Name ?? "(revoked)"), Markup.Escape(d.PreviousTerm ?? "–"),
                    Markup.Escape(d.DecidedBy), d.DecidedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), Markup.Escape(d.Reason));
            }

            Terminal.Write(table);
            return SafetyCommandLine.Ok;
        }, ct));
        return command;
    }

    /// <summary>Records a decision and says what happened; a term that is not CTCAE, or nothing to revoke, is one line and exit 2.</summary>
    private static Task<int> RecordAsync(
        StorageTarget target,
        Func<ResolveQueries, CancellationToken, Task<(Core.Coding.CodingDecision Decision, bool Recorded)>> record,
        Func<Core.Coding.CodingDecision, bool, string> describe,
        CancellationToken cancellationToken) =>
        StorageCommand.WithRuntimeAsync(target, new Dictionary<string, string?>(), async runtime =>
        {
            try
            {
                var (decision, recorded) = await record(runtime.Services.GetRequiredService<ResolveQueries>(), cancellationToken);
                Console.WriteLine(describe(decision, recorded));
                return SafetyCommandLine.Ok;
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                throw new InputError(e.Message);
            }
        }, cancellationToken);

    private static (Option<string> By, Option<string> Reason) DecisionOptions() =>
        (new Option<string>("--by") { Description = "Who decides (kept in the audit trail)", Required = true },
         new Option<string>("--reason") { Description = "Why (kept in the audit trail)", Required = true });
}
