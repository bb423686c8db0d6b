using Camrelizumab.Safety.Runner.Hosting;
using Microsoft.Extensions.Logging;

namespace Camrelizumab.Safety.Runner.Commands;

/// <summary>Opens the pipeline's storage for a one-off command, on the storage <see cref="StorageTarget"/> chose.</summary>
internal static class StorageCommand
{
    public static async Task<T> WithRuntimeAsync<T>(StorageTarget target, IReadOnlyDictionary<string, string?> overrides, Func<SafetyRuntime, Task<T>> action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(action);
        var settings = new Dictionary<string, string?>(overrides);
        foreach (var (key, value) in target.Settings())
        {
            settings[key] = value;
        }

        await using var runtime = await SafetyRuntime.StartAsync(settings, LogLevel.Warning, cancellationToken, configure: target.Register);
        return await action(runtime);
    }
}
