using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Camrelizumab.Safety.Storage;
using Camrelizumab.Safety.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Camrelizumab.Safety.Functions.Tests;

/// <summary>The worker host as Program.cs builds it: both storage styles, every function class, and start-up validation.</summary>
public sealed class HostTests(AzuriteFixture azurite)
{
    private const string ClientId = "3f1b8a52-7c1e-4d55-9a0e-2b6c1d4e5f60";

    internal static Dictionary<string, string?> PipelineSettings() => new()
    {
        ["EvaluateStoppingRulesSchedule"] = "0 0 * * * *",
        ["PublishDsmbSummarySchedule"] = "0 0 6 * * 1",
        ["ReconcileInboxSchedule"] = "0 30 * * * *",
        ["DeliverOutboxSchedule"] = "*/15 * * * * *",
        ["Mail__Recipients__safetyPhysicians__0"] = "safety.physician@example.org",
        ["Mail__Recipients__dsmb__0"] = "dsmb.chair@example.org",
        ["Mail__Recipients__dataManagers__0"] = "data.manager@example.org",
        ["Mail__PickupDirectory"] = Path.Combine(Path.GetTempPath(), "safety-functions-tests-mail"),
    };

    internal static Dictionary<string, string?> IdentitySettings() => new(PipelineSettings())
    {
        ["SafetyStorage__blobServiceUri"] = "https://stcamsafetyprod.blob.core.windows.net/",
        ["SafetyStorage__queueServiceUri"] = "https://stcamsafetyprod.queue.core.windows.net/",
        ["SafetyStorage__tableServiceUri"] = "https://stcamsafetyprod.table.core.windows.net/",
        ["SafetyStorage__credential"] = "managedidentity",
        ["SafetyStorage__clientId"] = ClientId,
    };

    [Fact]
    public void Build_WithAzuriteConnectionString_ResolvesEveryFunctionOnAzurite()
    {
        var settings = new Dictionary<string, string?>(PipelineSettings()) { ["SafetyStorage"] = azurite.ConnectionString };

        using var host = FunctionsApp.Build(settings);

        Assert.NotEmpty(FunctionsApp.FunctionClasses);
        Assert.All(FunctionsApp.FunctionClasses, type => Assert.IsType(type, FunctionsApp.Activate(host, type)));
        Assert.Equal(new BlobServiceClient(azurite.ConnectionString).Uri, host.Services.GetRequiredService<BlobServiceClient>().Uri);
        Assert.Equal(new TableServiceClient(azurite.ConnectionString).Uri, host.Services.GetRequiredService<TableServiceClient>().Uri);
    }

    [Fact]
    public void Build_WithIdentitySettings_ResolvesEveryFunctionOnTheServiceUris()
    {
        using var host = FunctionsApp.Build(IdentitySettings());

        Assert.All(FunctionsApp.FunctionClasses, type => Assert.IsType(type, FunctionsApp.Activate(host, type)));
        Assert.Equal("https://stcamsafetyprod.blob.core.windows.net/", host.Services.GetRequiredService<BlobServiceClient>().Uri.ToString());
        Assert.Equal("https://stcamsafetyprod.table.core.windows.net/", host.Services.GetRequiredService<TableServiceClient>().Uri.ToString());
        Assert.Equal("stcamsafetyprod", host.Services.GetRequiredService<SafetyStore>().Inbox.AccountName);
    }

    public static TheoryData<string, string?, string> BrokenSettings => new()
    {
        // Neither a connection string nor identity-based URIs.
        { "SafetyStorage__blobServiceUri", null, "SafetyStorage__blobServiceUri is not set" },
        { "SafetyStorage__tableServiceUri", null, "SafetyStorage__tableServiceUri is not set" },
        { "SafetyStorage__tableServiceUri", "stcamsafetyprod.table.core.windows.net", "SafetyStorage__tableServiceUri must be an absolute https URI" },
        { "SafetyStorage__blobServiceUri", "http://stcamsafetyprod.blob.core.windows.net/", "SafetyStorage__blobServiceUri must be an absolute https URI" },
        // A rule's recipient role with no address.
        { "Mail__Recipients__dsmb__0", null, "Mail:Recipients:dsmb" },
        { "PublishDsmbSummarySchedule", "0 6 * * 1", "PublishDsmbSummarySchedule" },
        { "PublishDsmbSummarySchedule", null, "PublishDsmbSummarySchedule is not set" },
    };

    [Theory]
    [MemberData(nameof(BrokenSettings))]
    public void Build_WithABrokenSetting_FailsNamingIt(string setting, string? value, string message)
    {
        var settings = IdentitySettings();
        if (value is null)
        {
            settings.Remove(setting);
        }
        else
        {
            settings[setting] = value;
        }

        var error = Assert.Throws<OptionsValidationException>(() => FunctionsApp.Build(settings));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_LetsInformationReachApplicationInsights_AndNeverSamplesInTheWorker()
    {
        using var host = FunctionsApp.Build(IdentitySettings());

        // The SDK's own rule (Warning and above for every category) is gone; what is left lets Information through.
        var filters = host.Services.GetRequiredService<IOptions<LoggerFilterOptions>>().Value;
        Assert.DoesNotContain(filters.Rules, r => r.ProviderName?.Contains("ApplicationInsights", StringComparison.Ordinal) == true && r.LogLevel > LogLevel.Information);
        var telemetry = host.Services.GetRequiredService<Microsoft.ApplicationInsights.Extensibility.TelemetryConfiguration>();
        Assert.DoesNotContain(telemetry.DefaultTelemetrySink.TelemetryProcessors, p => p.GetType().Name.Contains("Sampling", StringComparison.Ordinal));
    }
}
