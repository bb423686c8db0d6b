using System.Globalization;
using System.Text;
using Camrelizumab.Safety.Runner.Hosting;
using Camrelizumab.Safety.Testing;
using Microsoft.Extensions.Logging;

namespace Camrelizumab.Safety.Runner.Tests;

/// <summary>Starts the runner's pipeline on the shared Azurite with its own names and recipients, and reads what
/// maildev received for one recipient.</summary>
internal sealed class RunnerHarness(AzuriteFixture azurite, MaildevFixture maildev)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async Task<SafetyRuntime> StartAsync(string suffix, Recipients to, TimeProvider time, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:NameSuffix"] = suffix,
            ["Mail:Smtp:Host"] = "127.0.0.1",
            ["Mail:Smtp:Port"] = maildev.SmtpPort.ToString(CultureInfo.InvariantCulture),
            ["Mail:Smtp:Security"] = "None",
            ["Mail:Recipients:safetyPhysicians:0"] = to.Physician,
            ["Mail:Recipients:dsmb:0"] = to.Dsmb,
            ["Mail:Recipients:dsmb:1"] = to.Dsmb,
            ["Mail:Recipients:dataManagers:0"] = to.DataManager,
            ["Mail:Recipients:escalation:0"] = to.Escalation,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return await SafetyRuntime.StartAsync(settings, LogLevel.None, Ct, time);
    }

    public static (string Suffix, Recipients To) Unique()
    {
        var suffix = AzuriteFixture.NewSuffix();
        return (suffix, new Recipients($"dsmb-{suffix}@example.org", $"physician-{suffix}@example.org", $"escalation-{suffix}@example.org", $"dm-{suffix}@example.org"));
    }

    public async Task<List<(string Subject, string Body)>> MessagesToAsync(string recipient) =>
        [.. (await MimeMessagesToAsync(recipient)).Select(m => (m.Subject ?? "", m.TextBody + "\n" + m.HtmlBody))];

    /// <summary>Every message maildev received for one recipient, parsed (Message-ID, headers, bodies).</summary>
    public async Task<List<MimeKit.MimeMessage>> MimeMessagesToAsync(string recipient)
    {
        var result = new List<MimeKit.MimeMessage>();
        foreach (var message in await maildev.MessagesAsync(Ct))
        {
            var to = message.GetProperty("envelope").GetProperty("to").EnumerateArray().Select(t => t.GetProperty("address").GetString());
            if (to.Contains(recipient))
            {
                using var stream = new MemoryStream(Encoding.UTF8.GetBytes(await maildev.SourceAsync(message.GetProperty("id").GetString()!, Ct)));
                result.Add(MimeKit.MimeMessage.Load(stream));
            }
        }

        return result;
    }

    public static async Task UploadAsync(SafetyRuntime runtime, string name, string content) =>
        await runtime.Store.Inbox.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(Encoding.UTF8.GetBytes(content)), overwrite: true, Ct);
}

internal sealed record Recipients(string Dsmb, string Physician, string Escalation, string DataManager);
