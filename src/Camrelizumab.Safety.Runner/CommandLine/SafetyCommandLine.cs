using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;
using Azure;
using Azure.Identity;
using Camrelizumab.Safety.Runner.Commands;
using Microsoft.Extensions.Options;

namespace Camrelizumab.Safety.Runner.CommandLine;

/// <summary>
/// The <c>safety</c> command tree and the one place where its outcomes become exit codes: 0 done, 1 the job found a
/// problem (a crossing, a recomputation that differs), 2 a usage or input mistake, printed as one line naming the
/// input and what to do. Anything else is a bug: its stack trace is printed under a line asking for a report, exit 3.
/// </summary>
internal static partial class SafetyCommandLine
{
    public const int Ok = 0;
    public const int ProblemFound = 1;
    public const int UsageError = 2;
    public const int Bug = 3;

    public static RootCommand Create()
    {
        var root = new RootCommand("Camrelizumab.Safety: AE ingest, CTCAE v5.0 aggregation, toxicity stopping rules and DSMB reports for the camrelizumab ± radiotherapy trial.")
        {
            DemoCommand.Create(),
            RunCommand.Create(),
            StatisticsCommands.Boundary(),
            StatisticsCommands.Compare(),
            RulesCommand.Create(),
            CodingCommands.Code(),
            CodingCommands.Ctcae(),
            CodingCommands.Lab(),
            SummarizeCommand.Create(),
            QueryCommands.Queries(),
            QueryCommands.Coding(),
            InboxCommands.Drop(),
            InboxCommands.Receipts(),
            AlertCommands.Alerts(),
            AlertCommands.Ack(),
            AlertCommands.Evaluate(),
            AlertCommands.Publish(),
            AlertCommands.Deletions(),
            AlertCommands.Report(),
            BenchCommand.Create(),
        };
        Inputs.AcceptNumbersInAnyNotation(root);
        return root;
    }

    public static async Task<int> InvokeAsync(string[] args)
    {
        var parse = Create().Parse(args);
        var command = CommandPath(parse.CommandResult);
        if (parse.Errors.Count > 0)
        {
            // “Unrecognized command or argument 'x'” says more than the “Required command was not provided” beside it.
            var error = parse.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parse.Errors[0];
            Console.Error.WriteLine($"{command}: {OneLine(Named(error))} (see {command} --help)");
            return UsageError;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception ex) when (Mistake(ex) is { } message)
        {
            Console.Error.WriteLine($"{command}: {OneLine(message)}");
            return UsageError;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine($"{command}: stopped.");
            return 130;
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"{command}: unexpected error. This is a bug in safety; please report it with the command line and the text below.");
            Console.Error.WriteLine(ex);
            return Bug;
        }
    }

    /// <summary>What the user can fix, said in one line; <c>null</c> for a bug.</summary>
    private static string? Mistake(Exception exception) => exception switch
    {
        InputError e => e.Message,
        Storage.Local.DevServicesUnavailableException e => e.Message,

        // A configured rules or sources file (Rules:Path, Sources:Path) or a setting that fails validation at start-up.
        InvalidDataException e => $"{e.Message} Fix the file and run the command again.",
        OptionsValidationException e => $"configuration: {string.Join(" ", e.Failures)} Fix the setting (appsettings.json or a SAFETY_ environment variable).",
        AuthenticationFailedException or CredentialUnavailableException =>
            "could not sign in to Entra ID for the storage account; run `az login` (or set AZURE_CLIENT_ID and friends) and try again.",
        RequestFailedException { Status: 403 } =>
            "the storage account refused access; ask for a Storage Blob Data and Table Data role on the account, or check the connection string.",
        RequestFailedException e when e.Status == 0 || e.InnerException is HttpRequestException =>
            $"the storage did not answer ({Inputs.Reason(e.InnerException ?? e)}); check that `safety run` is running or that the account and network are reachable.",
        AggregateException { InnerExceptions: [HttpRequestException h, ..] } =>
            $"the storage did not answer ({Inputs.Reason(h)}); check that `safety run` is running or that the account and network are reachable.",

        // The SDK's retries, given up: each attempt's failure inside.
        AggregateException { InnerExceptions: [var first, ..] } when Mistake(first) is { } message => message,
        _ => null,
    };

    /// <summary>The message, led by the option it is about when it does not name it (“Argument 'foo' not recognized”).</summary>
    private static string Named(ParseError error)
    {
        var option = error.SymbolResult switch
        {
            OptionResult o => o.Option.Name,
            ArgumentResult { Parent: OptionResult o } => o.Option.Name,
            _ => null,
        };
        return option is null || error.Message.Contains(option, StringComparison.Ordinal) ? error.Message : $"{option}: {error.Message}";
    }

    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? at = result; at is not null; at = at.Parent)
        {
            if (at is CommandResult { Command: var c })
            {
                names.Add(c is RootCommand ? "safety" : c.Name);
            }
        }

        names.Reverse();
        return string.Join(' ', names);
    }

    /// <summary>
    /// One line, and words instead of .NET type names in System.CommandLine's conversion messages
    /// (“Cannot parse argument 'x' for option '--as-of' as expected type 'System.Nullable`1[System.DateOnly]'”).
    /// </summary>
    private static string OneLine(string message)
    {
        var parse = CannotParse().Match(message);
        if (parse.Success)
        {
            var type = parse.Groups["type"].Value;
            var expected = type.Contains("DateOnly", StringComparison.Ordinal) ? "a date such as 2025-03-31"
                : type.Contains("DateTime", StringComparison.Ordinal) ? "a date and time such as 2025-03-31T12:00:00Z"
                : type.Contains("Boolean", StringComparison.Ordinal) ? "true or false"
                : type.Contains("Int", StringComparison.Ordinal) || type.Contains("Decimal", StringComparison.Ordinal) || type.Contains("Double", StringComparison.Ordinal) ? "a number"
                : "a valid value";
            message = $"{parse.Groups["symbol"].Value} {parse.Groups["value"].Value} is not {expected}.";
        }

        return WhiteSpace().Replace(message, " ").Trim();
    }

    [GeneratedRegex(@"Cannot parse argument '(?<value>.*)' for (option|command|argument) '(?<symbol>[^']*)' as expected type '(?<type>[^']*)'")]
    private static partial Regex CannotParse();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
