using System.Diagnostics;

namespace Camrelizumab.Safety.Functions.Tests;

/// <summary>The Functions app published once per test run (<c>dotnet publish</c> of the build the tests run against).</summary>
public sealed class PublishedApp : IAsyncLifetime
{
    private string? _directory;

    public string Directory => _directory ?? throw new InvalidOperationException("The app was not published.");

    public async ValueTask InitializeAsync()
    {
        _directory = System.IO.Directory.CreateTempSubdirectory("safety-publish-").FullName;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "publish", FunctionsApp.ProjectPath, "-c", FunctionsApp.Configuration, "--no-build", "-o", _directory, "-nologo" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet publish.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish failed ({process.ExitCode}):\n{await output}\n{await error}");
        }
    }

    public ValueTask DisposeAsync()
    {
        if (_directory is not null)
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }

        return ValueTask.CompletedTask;
    }
}
