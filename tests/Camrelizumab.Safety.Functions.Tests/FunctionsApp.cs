using System.Reflection;
using System.Text.Json;
using Camrelizumab.Safety.Storage.Local;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Camrelizumab.Safety.Functions.Tests;

/// <summary>The Functions app as the tests see it: its host built as Program.cs builds it, and its build output.</summary>
internal static class FunctionsApp
{
    public static string ProjectPath { get; } = Metadata("FunctionsProject");

    public static string OutputDirectory { get; } = Metadata("FunctionsOutput");

    public static string Configuration { get; } = Metadata("Configuration");

    public static string RepositoryRoot { get; } = DevServices.FindRepositoryRoot();

    /// <summary>Every class with a [Function] method, as the worker's function activator would create them.</summary>
    public static IReadOnlyList<Type> FunctionClasses { get; } =
        [.. typeof(SafetyFunctionsHost).Assembly.GetTypes().Where(t => t.GetMethods().Any(m => m.GetCustomAttribute<FunctionAttribute>() is not null)).OrderBy(t => t.Name)];

    /// <summary>
    /// Builds the worker host through <see cref="SafetyFunctionsHost.Build"/>, the method Program.cs calls, with the given
    /// app settings (names as in Azure, <c>__</c> for sections). <paramref name="services"/> may add test doubles first.
    /// </summary>
    public static IHost Build(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key.Replace("__", ":", StringComparison.Ordinal), s.Value)));
        services?.Invoke(builder.Services);
        return SafetyFunctionsHost.Build(builder);
    }

    /// <summary>Creates a function class the way the worker does: constructor injection from the host's services.</summary>
    public static object Activate(IHost host, Type functionClass) => ActivatorUtilities.CreateInstance(host.Services, functionClass);

    public static T Activate<T>(IHost host) => (T)Activate(host, typeof(T));

    /// <summary>The predicted resources of a committed Bicep snapshot (infra/*.snapshot.json).</summary>
    public static List<JsonElement> Snapshot(string file)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot, "infra", file)));
        return [.. json.RootElement.GetProperty("predictedResources").EnumerateArray().Select(e => e.Clone())];
    }

    private static string Metadata(string key) =>
        typeof(FunctionsApp).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
