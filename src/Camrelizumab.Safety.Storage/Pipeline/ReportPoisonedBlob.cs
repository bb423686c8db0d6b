using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Camrelizumab.Safety.Core.Alerts;
using Camrelizumab.Safety.Core.Stopping;
using Camrelizumab.Safety.Storage.Mail;
using Camrelizumab.Safety.Storage.Tables;
using Microsoft.Extensions.Logging;

namespace Camrelizumab.Safety.Storage.Pipeline;

/// <summary>
/// Tells the data managers, once, about a message in the Functions host's blob-trigger poison queue
/// (<c>webjobs-blobtrigger-poison</c>): a file the host gave up on before the ingest step counted enough attempts to
/// quarantine it. The reconciliation timer retries the file itself.
/// </summary>
public sealed class ReportPoisonedBlob(Notifier notifier, MailOptions mail, SafetyRules rules, ILogger<ReportPoisonedBlob> logger)
{

    /// <summary>The queue the Functions blob trigger moves a blob's message to after its last failed delivery.</summary>
    public const string PoisonQueue = "webjobs-blobtrigger-poison";

    /// <param name="message">The host's poison message: JSON with <c>ContainerName</c>, <c>BlobName</c> and <c>ETag</c>.</param>
    public async Task<string> RunAsync(string message, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(message);
        using var json = JsonDocument.Parse(message);
        var container = Required(json.RootElement, "ContainerName");
        var blobName = Required(json.RootElement, "BlobName");
        var etag = json.RootElement.TryGetProperty("ETag", out var e) ? e.GetString() ?? "" : "";
        var recipients = mail.AddressesFor(["dataManagers"]);
        if (recipients.Count == 0)
        {
            throw new InvalidOperationException($"{container}/{blobName} was poisoned by the host, but Mail:Recipients:dataManagers has no address to tell.");
        }

        // One alert per poisoned blob version, however often the queue delivers the message.
        var id = "poison." + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{container}/{blobName}/{etag}")))[..16];
        await notifier.ReserveAsync(
            new OutboxMessage(MessageCategory.Poison, id, AlertEmail.ComposePoisonedFile(rules.Study, container, blobName, id), recipients,
                LedgerDetails.Poison(container, blobName)),
            cancellationToken);
        Log.PoisonedBlobReported(logger, container, blobName, id);
        return id;
    }

    private static string Required(JsonElement message, string property) =>
        message.TryGetProperty(property, out var value) && value.GetString() is { Length: > 0 } text
            ? text
            : throw new FormatException($"The poison message has no {property}.");
}
