using System.Diagnostics;
using System.Reflection;

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

    public static async Task<(int Exit, string Output)> RunAsync(CancellationToken cancellationToken, params string[] arguments)
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

        // The snapshot reads these; keep them empty so the committed snapshot is what CI predicts.
        start.Environment["SMTP_PASSWORD"] = "";
        start.Environment["BLOB_EXTENSION_WEBHOOK_URL"] = "";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, (await output) + (await error));
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
