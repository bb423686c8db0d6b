using Camrelizumab.Safety.Runner.CommandLine;

return await SafetyCommandLine.InvokeAsync(args);
