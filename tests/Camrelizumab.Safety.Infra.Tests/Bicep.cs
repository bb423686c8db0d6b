using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace Camrelizumab.Safety.Infra.Tests;

/// <summary>Runs the Bicep CLI restored from NuGet against the repository's infra folder.</summary>
internal static class Bicep
{
    public static string Path { get; } = typeof(Bicep).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepPath").Value!;

    public static string InfraDirectory { get; } = FindInfra();

    /// <summary>The deployment scope used for snapshots: fixed ids, so the snapshot is reproducible.</summary>
    public static readonly string[] SnapshotScope =
    [
        "--subscription-id", "00000000-0000-0000-0000-000000000000",
        "--tenant-id", "00000000-0000-0000-0000-000000000001",
        "--resource-group", "rg-camsafety-prod",
        "--location", "eastasia",
    ];

    /// <summary>The SMTP_PASSWORD each parameter file is snapshotted with: a first deployment gives one, a redeployment none.</summary>
    public static string SmtpPasswordFor(string parameters) => parameters == "main.bicepparam" ? "example-not-a-secret" : "";

    private static readonly ConcurrentDictionary<string, Lazy<Task<(int Exit, string Json, string Diagnostics)>>> Builds = new(StringComparer.Ordinal);

    /// <summary>
    /// <c>bicep build</c> of a template, once per test run: its exit code, the ARM JSON and the diagnostics (the build runs
    /// every linter rule of bicepconfig.json, all set to error).
    /// </summary>
    public static Task<(int Exit, string Json, string Diagnostics)> BuildAsync(string template) =>
        Builds.GetOrAdd(template, t => new Lazy<Task<(int, string, string)>>(() => RunSeparatelyAsync("", ["build", t, "--stdout"], CancellationToken.None))).Value;

    /// <summary>The compiled ARM template as JSON.</summary>
    public static async Task<JsonElement> CompiledAsync(string template)
    {
        var (exit, json, diagnostics) = await BuildAsync(template);
        if (exit != 0)
        {
            throw new InvalidOperationException($"bicep build {template} failed:\n{diagnostics}");
        }

        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public static async Task<(int Exit, string Output)> RunAsync(string smtpPassword, string[] arguments, CancellationToken cancellationToken)
    {
        var (exit, output, error) = await RunSeparatelyAsync(smtpPassword, arguments, cancellationToken);
        return (exit, output + error);
    }

    private static async Task<(int Exit, string Output, string Error)> RunSeparatelyAsync(string smtpPassword, string[] arguments, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path, File.GetUnixFileMode(Path) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }

        var start = new ProcessStartInfo(Path) { WorkingDirectory = InfraDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The parameter files read this; fixed here so the committed snapshot is what CI predicts.
        start.Environment["SMTP_PASSWORD"] = smtpPassword;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await output, await error);
    }

    private static string FindInfra()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var infra = System.IO.Path.Combine(dir.FullName, "infra");
            if (File.Exists(System.IO.Path.Combine(infra, "main.bicep")))
            {
                return infra;
            }
        }

        throw new InvalidOperationException("infra/main.bicep not found above the test directory.");
    }
}
