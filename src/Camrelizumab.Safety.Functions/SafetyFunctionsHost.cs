using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Camrelizumab.Safety.Storage;
using Cronos;
using Microsoft.ApplicationInsights.WorkerService;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Camrelizumab.Safety.Functions;

/// <summary>
/// The worker's whole set-up, shared by <c>Program.cs</c> and the tests so that what is tested is what runs.
/// </summary>
public static class SafetyFunctionsHost
{
    /// <summary>The blob trigger's connection name; also the section the pipeline's own clients are built from.</summary>
    public const string StorageConnection = "SafetyStorage";

    /// <summary>The app settings the timer triggers name as their schedules.</summary>
    public static readonly IReadOnlyList<string> ScheduleSettings = [EvaluateStoppingRulesFunction.ScheduleSetting, PublishDsmbSummaryFunction.ScheduleSetting, ReconcileInboxFunction.ScheduleSetting, DeliverOutboxFunction.ScheduleSetting];

    private const string ApplicationInsightsProvider = "Microsoft.Extensions.Logging.ApplicationInsights.ApplicationInsightsLoggerProvider";

    /// <summary>Configures telemetry, storage and the pipeline, builds the host, and validates the configuration.</summary>
    /// <exception cref="OptionsValidationException">A setting is missing or wrong; the message names it.</exception>
    public static IHost Build(FunctionsApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // Adaptive sampling off in the worker: its volume is a few runs an hour, and a sampled-away exception could hide
        // a lost alert. The host samples its own telemetry with Request and Exception excluded (host.json).
        builder.Services
            .AddApplicationInsightsTelemetryWorkerService(new ApplicationInsightsServiceOptions { EnableAdaptiveSampling = false })
            .ConfigureFunctionsApplicationInsights();

        // The Application Insights SDK adds a rule that keeps only Warning and above from every category; without
        // removing it the worker's Information logs (ingest counts, evaluations) never reach Application Insights.
        builder.Logging.Services.Configure<LoggerFilterOptions>(options =>
        {
            var rule = options.Rules.FirstOrDefault(r => r.ProviderName == ApplicationInsightsProvider);
            if (rule is not null)
            {
                options.Rules.Remove(rule);
            }
        });

        ValidateSchedules(builder.Configuration);
        AddStorageClients(builder.Services, builder.Configuration.GetSection(StorageConnection));
        builder.Services.AddSafetyPipeline(builder.Configuration);

        var host = builder.Build();
        host.Services.ValidateSafetyPipeline();
        return host;
    }

    /// <summary>
    /// The timers' NCRONTAB settings, checked here because the host would only log a bad one and never fire the timer.
    /// </summary>
    private static void ValidateSchedules(ConfigurationManager configuration)
    {
        var problems = new List<string>();
        foreach (var setting in ScheduleSettings)
        {
            var value = configuration[setting];
            if (string.IsNullOrWhiteSpace(value))
            {
                problems.Add($"{setting} is not set: a six-field NCRONTAB schedule in UTC, e.g. '0 0 6 * * 1'.");
                continue;
            }

            try
            {
                CronExpression.Parse(value, CronFormat.IncludeSeconds);
            }
            catch (CronFormatException ex)
            {
                problems.Add($"{setting} '{value}' is not a six-field NCRONTAB schedule: {ex.Message}");
            }
        }

        if (problems.Count > 0)
        {
            throw new OptionsValidationException("Schedules", typeof(string), problems);
        }
    }

    /// <summary>
    /// The pipeline's clients on the blob trigger's own connection: a connection string for a local host against Azurite
    /// (<c>SafetyStorage</c>), else identity-based service URIs with the credential the Functions host would use for
    /// the same settings (<c>SafetyStorage__credential</c>, <c>SafetyStorage__clientId</c>).
    /// </summary>
    private static void AddStorageClients(IServiceCollection services, IConfigurationSection storage)
    {
        if (!string.IsNullOrWhiteSpace(storage.Value))
        {
            services.AddSingleton(new BlobServiceClient(storage.Value));
            services.AddSingleton(new TableServiceClient(storage.Value));
            return;
        }

        var blobServiceUri = ServiceUri(storage, "blobServiceUri");
        var tableServiceUri = ServiceUri(storage, "tableServiceUri");
        services.AddAzureClientsCore();
        services.AddSingleton(sp => new BlobServiceClient(blobServiceUri, Credential(sp, storage)));
        services.AddSingleton(sp => new TableServiceClient(tableServiceUri, Credential(sp, storage)));
    }

    /// <summary>The same reading of <c>credential</c>, <c>clientId</c> and <c>tenantId</c> as the host's identity-based connections.</summary>
    private static TokenCredential Credential(IServiceProvider services, IConfigurationSection storage) =>
        services.GetRequiredService<AzureComponentFactory>().CreateTokenCredential(storage);

    private static Uri ServiceUri(IConfigurationSection storage, string key)
    {
        var setting = $"{StorageConnection}__{key}";
        var value = storage[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new OptionsValidationException(StorageConnection, typeof(Uri),
                [$"{setting} is not set: set {StorageConnection} to a connection string (Azurite), or {StorageConnection}__blobServiceUri, __queueServiceUri and __tableServiceUri with __credential and __clientId (Azure)."]);
        }

        // Bearer tokens travel over https only (the Azure SDK refuses them on http).
        return Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps
            ? uri
            : throw new OptionsValidationException(StorageConnection, typeof(Uri), [$"{setting} must be an absolute https URI; it is '{value}'."]);
    }
}
