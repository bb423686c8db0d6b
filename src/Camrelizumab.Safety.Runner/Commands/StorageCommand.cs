using Camrelizumab.Safety.Runner.Hosting;
using Camrelizumab.Safety.Storage.Local;
using Microsoft.Extensions.Logging;

namespace Camrelizumab.Safety.Runner.Commands;

/// <summary>Opens the pipeline's storage for a one-off command: a connection string, or the local runner's Azurite folder.</summary>
internal static class StorageCommand
{
    public static async Task<T> WithRuntimeAsync<T>(DirectoryInfo data, string? connectionString, IReadOnlyDictionary<string, string?> overrides, Func<SafetyRuntime, Task<T>> action, CancellationToken cancellationToken)
    {
        connectionString ??= Environment.GetEnvironmentVariable("SAFETY_Storage__ConnectionString");
        await using var azurite = string.IsNullOrWhiteSpace(connectionString)
            ? await AzuriteProcess.StartAsync(Path.Combine(data.FullName, "azurite"), install: true, cancellationToken)
            : null;
        var settings = new Dictionary<string, string?>(overrides) { ["Storage:ConnectionString"] = connectionString ?? azurite!.ConnectionString };
        await using var runtime = await SafetyRuntime.StartAsync(settings, LogLevel.Warning, cancellationToken);
        return await action(runtime);
    }
}
