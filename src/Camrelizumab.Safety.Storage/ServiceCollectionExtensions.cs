using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Camrelizumab.Safety.Core.AdverseEvents;
using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Core.Ingest;
using Camrelizumab.Safety.Core.Stopping;
using Camrelizumab.Safety.Storage.Mail;
using Camrelizumab.Safety.Storage.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Camrelizumab.Safety.Storage;

/// <summary>Registers the pipeline: configuration, storage clients, mail, and the three steps.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Adds everything the pipeline steps need. Storage clients come from <c>Storage:ConnectionString</c> unless the host
    /// registered its own <see cref="BlobServiceClient"/> and <see cref="TableServiceClient"/> first (identity-based in Azure).
    /// </summary>
    public static IServiceCollection AddSafetyPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(CtcaeDictionary.V5);
        services.AddSingleton(_ => LoadRules(configuration["Rules:Path"]));
        services.AddSingleton(_ => ExpectedAdverseEvents.LoadDefaults());
        services.AddSingleton(_ => LoadSources(configuration["Sources:Path"]));

        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.SectionName))
            .Validate(o => o.NameSuffix.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c)) && o.NameSuffix.Length <= 12, "Storage:NameSuffix must be at most 12 lower-case letters or digits.");
        services.AddOptions<IngestOptions>().Bind(configuration.GetSection(IngestOptions.SectionName));
        services.AddOptions<MailOptions>().Bind(configuration.GetSection(MailOptions.SectionName));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<IngestOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<MailOptions>>().Value);
        services.AddSingleton(sp => new StorageNames(sp.GetRequiredService<IOptions<StorageOptions>>().Value.NameSuffix));
        services.TryAddSingleton(sp => new BlobServiceClient(RequiredConnectionString(sp)));
        services.TryAddSingleton(sp => new TableServiceClient(RequiredConnectionString(sp)));
        services.AddSingleton<SafetyStore>();
        services.AddSingleton(sp => sp.GetRequiredService<SafetyStore>().AlertLedger);

        services.TryAddSingleton<IMailTransport>(sp =>
        {
            var mail = sp.GetRequiredService<MailOptions>();
            return string.IsNullOrWhiteSpace(mail.Smtp.Host)
                ? new PickupFolderMailTransport(Path.GetFullPath(mail.PickupDirectory))
                : new SmtpMailTransport(mail.Smtp);
        });
        services.AddSingleton<Notifier>();
        services.TryAddSingleton(IngestProbe.None);
        services.AddSingleton<SnapshotReader>();
        services.AddSingleton<ExpeditedArmUpdates>();
        services.AddSingleton<ResolveQueries>();
        services.AddSingleton<IngestAdverseEventExport>();
        services.AddSingleton<EvaluateStoppingRules>();
        services.AddSingleton<PublishDsmbSummary>();
        services.AddSingleton<RecomputeEvaluation>();
        services.AddSingleton<ReconcileInbox>();
        services.AddSingleton<ReportPoisonedBlob>();
        services.AddSingleton<OperationsAlarm>();
        return services;
    }

    /// <summary>
    /// Resolves and checks everything that can be wrong in configuration, so a bad setting stops start-up instead of
    /// surfacing as a missed alert: the rules file, the export sources, storage options, and an address for every recipient role.
    /// </summary>
    public static void ValidateSafetyPipeline(this IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var rules = services.GetRequiredService<SafetyRules>();
        _ = services.GetRequiredService<SourceProfiles>();
        _ = services.GetRequiredService<SafetyStore>();
        var mail = services.GetRequiredService<MailOptions>();
        var problems = rules.Rules
            .SelectMany(r => r.Recipients.Select(role => (r.Id, role)))
            .Where(x => mail.AddressesFor([x.role]).Count == 0)
            .Select(x => $"rules[{x.Id}].recipients: role '{x.role}' has no address under Mail:Recipients:{x.role}.")
            .Distinct()
            .ToList();
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(MailOptions.SectionName, typeof(MailOptions), problems);
        }
    }

    private static string RequiredConnectionString(IServiceProvider services)
    {
        var connectionString = services.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString;
        return string.IsNullOrWhiteSpace(connectionString)
            ? throw new OptionsValidationException(StorageOptions.SectionName, typeof(StorageOptions), ["Storage:ConnectionString is required when the host does not register its own storage clients."])
            : connectionString;
    }

    private static SourceProfiles LoadSources(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return SourceProfiles.LoadDefaults();
        }

        using var stream = File.OpenRead(path);
        return SourceProfiles.Load(stream, path);
    }

    private static SafetyRules LoadRules(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return SafetyRules.LoadDefaults();
        }

        using var stream = File.OpenRead(path);
        return SafetyRules.Load(stream, path);
    }
}
