using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using Camrelizumab.Safety.Runner.CommandLine;
using Camrelizumab.Safety.Runner.Hosting;
using Spectre.Console;

namespace Camrelizumab.Safety.Runner.Commands;

/// <summary>
/// The data manager's side of the inbox: <c>safety drop</c> puts files into <c>ae-inbox</c> of the running or named
/// storage, <c>safety receipts</c> reads back what ingest made of them.
/// </summary>
internal static class InboxCommands
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Drop()
    {
        var files = new Argument<FileInfo[]>("file") { Description = "AE exports or subject rosters (CSV, XLSX, XPT, Dataset-JSON, ODM-XML)", Arity = ArgumentArity.OneOrMore };
        files.Validators.Add(result =>
        {
            foreach (var file in result.GetValueOrDefault<FileInfo[]>() ?? [])
            {
                if (Inputs.Problem(file, "an export file", text: false) is { } problem)
                {
                    result.AddError($"{file.FullName} {problem}");
                    return;
                }
            }
        });
        var site = new Option<string?>("--site") { Description = "Site folder inside the inbox (a source in config/sources.json may be tied to it)" };
        site.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } s && (s.Length == 0 || s.Length > 64 || !s.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
            {
                result.AddError($"--site {s}: use up to 64 letters, digits, hyphens or underscores, such as SH02.");
            }
        });
        var command = new Command("drop", "Upload files to ae-inbox, where the running pipeline ingests them.") { files, site };
        var storage = new StorageTarget.Choice(command);
        command.SetAction((parse, ct) => StorageCommand.WithRuntimeAsync(storage.Resolve(parse), new Dictionary<string, string?>(), async runtime =>
        {
            foreach (var file in parse.GetValue(files)!)
            {
                var name = parse.GetValue(site) is { } folder ? $"{folder}/{file.Name}" : file.Name;
                string sha256;
                await using (var stream = file.OpenRead())
                {
                    sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
                    stream.Position = 0;
                    await runtime.Store.Inbox.GetBlobClient(name).UploadAsync(stream, overwrite: true, ct);
                }

                Console.WriteLine($"Dropped {file.Name} as {runtime.Store.Names.Inbox}/{name} ({file.Length:N0} bytes, sha256 {sha256[..12]}); once ingested: safety receipts {name}");
            }

            return SafetyCommandLine.Ok;
        }, ct));
        return command;
    }

    public static Command Receipts()
    {
        var name = new Argument<string?>("name") { Description = "A file as dropped (site/name.csv) or a receipt name; without it, every receipt is listed", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("receipts", "List ingest receipts, or print one with its rejected rows.") { name };
        var storage = new StorageTarget.Choice(command);
        command.SetAction((parse, ct) => StorageCommand.WithRuntimeAsync(storage.Resolve(parse), new Dictionary<string, string?>(), async runtime =>
        {
            var reports = new List<(string Blob, JsonElement Report)>();
            await foreach (var blob in runtime.Store.IngestReports.GetBlobsAsync(cancellationToken: ct))
            {
                if (blob.Name.EndsWith(".json", StringComparison.Ordinal))
                {
                    var content = await runtime.Store.IngestReports.GetBlobClient(blob.Name).DownloadContentAsync(ct);
                    reports.Add((blob.Name, content.Value.Content.ToObjectFromJson<JsonElement>()));
                }
            }

            reports.Sort((a, b) => string.CompareOrdinal(Text(a.Report, "processedAt"), Text(b.Report, "processedAt")));
            if (parse.GetValue(name) is not { } wanted)
            {
                var table = new Table().AddColumns("Processed", "File", "Status", "Kind", "Rows read", "Accepted", "Rejected", "Receipt");
                foreach (var (blob, r) in reports)
                {
                    table.AddRow(Markup.Escape(Text(r, "processedAt")), Markup.Escape(Text(r, "fileName")), Markup.Escape(Text(r, "status")), Markup.Escape(Text(r, "kind")),
                        Text(r, "rowsRead"), Text(r, "rowsAccepted"), Text(r, "rowsRejected"), Markup.Escape(blob));
                }

                Terminal.Write(table);
                Console.WriteLine($"{reports.Count} receipt(s). Print one with: safety receipts NAME");
                return SafetyCommandLine.Ok;
            }

            var (found, report) = reports.LastOrDefault(x => x.Blob == wanted || Text(x.Report, "fileName") == wanted);
            if (found is null)
            {
                throw new InputError($"no receipt for {wanted}; `safety receipts` lists them (a file gets one once the running pipeline has ingested it).");
            }

            Console.WriteLine($"{Text(report, "fileName")} (sha256 {Text(report, "sha256")[..12]}), {Text(report, "status")} at {Text(report, "processedAt")}: "
                + $"{Text(report, "kind")}, {Text(report, "rowsRead")} row(s) read, {Text(report, "rowsAccepted")} accepted, {Text(report, "rowsRejected")} rejected.");
            if (Text(report, "fileError") is { Length: > 0 } error)
            {
                Console.WriteLine($"The file could not be read: {error}");
            }

            Console.WriteLine($"Receipt {runtime.Store.Names.IngestReports}/{found}:");
            Console.WriteLine(JsonSerializer.Serialize(report, Json));
            if (Text(report, "rejectionsCsvBlob") is { Length: > 0 } csv)
            {
                Console.WriteLine($"Rejected rows ({runtime.Store.Names.IngestReports}/{csv}):");
                Console.Write((await runtime.Store.IngestReports.GetBlobClient(csv).DownloadContentAsync(ct)).Value.Content.ToString());
            }

            return SafetyCommandLine.Ok;
        }, ct));
        return command;
    }

    private static string Text(JsonElement report, string property) =>
        report.TryGetProperty(property, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText()
            : "";
}
