using Camrelizumab.Safety.Storage;
using Camrelizumab.Safety.Storage.Mail;
using Camrelizumab.Safety.Storage.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Camrelizumab.Safety.Runner.Hosting;

/// <summary>
/// The pipeline hosted in this process: configuration (appsettings.json, then <c>SAFETY_</c> environment variables,
/// then command-line overrides), the storage steps, the inbox watcher, the two timers and the outbox.
/// </summary>
public sealed class SafetyRuntime : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private SafetyRuntime(ServiceProvider services)
    {
        _services = services;
        Store = services.GetRequiredService<SafetyStore>();
        Outbox = services.GetRequiredService<Notifier>();
        Options = services.GetRequiredService<RunnerOptions>();
        var time = services.GetRequiredService<TimeProvider>();
        var loggers = services.GetRequiredService<ILoggerFactory>();
        Watcher = new InboxWatcher(Store, services.GetRequiredService<IngestAdverseEventExport>(), time, Options, loggers.CreateLogger<InboxWatcher>());
        var evaluate = services.GetRequiredService<EvaluateStoppingRules>();
        var publish = services.GetRequiredService<PublishDsmbSummary>();
        var alarm = services.GetRequiredService<OperationsAlarm>();
        EvaluateTimer = new ScheduledTimer(nameof(EvaluateStoppingRules), Options.EvaluateStoppingRulesSchedule,
            async (_, ct) => LastEvaluation = await alarm.WatchAsync(nameof(EvaluateStoppingRules), evaluate.RunAsync, ct), Store.Runtime, time, loggers.CreateLogger(nameof(EvaluateStoppingRules)));
        PublishTimer = new ScheduledTimer(nameof(PublishDsmbSummary), Options.PublishDsmbSummarySchedule,
            async (scheduled, ct) => LastSummary = await alarm.WatchAsync(nameof(PublishDsmbSummary), c => publish.RunAsync(scheduled, c), ct), Store.Runtime, time, loggers.CreateLogger(nameof(PublishDsmbSummary)));
    }

    public SafetyStore Store { get; }

    public RunnerOptions Options { get; }

    /// <summary>Sends what the steps reserved; <c>safety run</c> calls it in its own loop, one-off commands after their step.</summary>
    public Notifier Outbox { get; }

    public InboxWatcher Watcher { get; }

    public ScheduledTimer EvaluateTimer { get; }

    public ScheduledTimer PublishTimer { get; }

    public EvaluationRun? LastEvaluation { get; private set; }

    public PublishedSummary? LastSummary { get; private set; }

    public IServiceProvider Services => _services;

    /// <summary>Builds the runtime, validates configuration, and creates the containers and tables.</summary>
    public static async Task<SafetyRuntime> StartAsync(
        IReadOnlyDictionary<string, string?> overrides,
        LogLevel logLevel,
        CancellationToken cancellationToken,
        TimeProvider? timeProvider = null,
        Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables("SAFETY_")
            .AddInMemoryCollection(overrides)
            .Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddFilter(l => l >= logLevel)
            .AddConsole(o => (o.FormatterName, o.LogToStandardErrorThreshold) = (LogLineFormatter.FormatterName, LogLevel.Trace))
            .AddConsoleFormatter<LogLineFormatter, ConsoleFormatterOptions>());
        if (timeProvider is not null)
        {
            services.AddSingleton(timeProvider);
        }

        // Before the pipeline, whose registrations give way to the caller's (identity-based storage clients, a mail transport).
        configure?.Invoke(services);
        services.AddSafetyPipeline(configuration);
        services.AddOptions<RunnerOptions>().Bind(configuration.GetSection(RunnerOptions.SectionName));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<RunnerOptions>>().Value);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        try
        {
            provider.ValidateSafetyPipeline();
            var runtime = new SafetyRuntime(provider);
            await runtime.Store.EnsureCreatedAsync(cancellationToken);
            return runtime;
        }
        catch
        {
            await provider.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
