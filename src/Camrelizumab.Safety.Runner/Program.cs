using Camrelizumab.Safety.Runner.CommandLine;
using Spectre.Console;

// Redirected output (CI logs, files, pipes) gets wide tables instead of Spectre's 80-column fallback.
if (Console.IsOutputRedirected)
{
    AnsiConsole.Profile.Width = 200;
}

return await SafetyCommandLine.InvokeAsync(args);
