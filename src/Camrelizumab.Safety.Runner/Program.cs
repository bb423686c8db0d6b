using System.CommandLine;
using Camrelizumab.Safety.Runner.Commands;
using Spectre.Console;

// Redirected output (CI logs, files, pipes) gets wide tables instead of Spectre's 80-column fallback.
if (Console.IsOutputRedirected)
{
    AnsiConsole.Profile.Width = 200;
}

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
    AlertCommands.Ack(),
    AlertCommands.Deletions(),
    AlertCommands.Report(),
    BenchCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
