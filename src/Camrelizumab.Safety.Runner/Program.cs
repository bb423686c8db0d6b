using System.CommandLine;
using Camrelizumab.Safety.Runner.Commands;

var root = new RootCommand("Camrelizumab.Safety: AE ingest, CTCAE v5.0 aggregation, toxicity stopping rules and DSMB reports for the camrelizumab ± radiotherapy trial.")
{
    DemoCommand.Create(),
    RunCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
