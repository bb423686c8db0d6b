using Azure.Storage.Blobs;
using Camrelizumab.Safety.Storage.Pipeline;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Camrelizumab.Safety.Functions;

/// <summary>Blob trigger on ae-inbox (Event Grid source): bind, call the ingest step, log the outcome.</summary>
public sealed partial class IngestAdverseEventExportFunction(IngestAdverseEventExport ingest, ILogger<IngestAdverseEventExportFunction> logger)
{
    [Function(nameof(IngestAdverseEventExport))]
    public async Task RunAsync(
        [BlobTrigger("ae-inbox/{name}", Source = BlobTriggerSource.EventGrid, Connection = "SafetyStorage")] BlobClient blob,
        string name,
        CancellationToken cancellationToken)
    {
        var outcome = await ingest.RunAsync(name, cancellationToken);
        LogOutcome(logger, blob.Name, outcome.Status);
    }

    [LoggerMessage(9001, LogLevel.Information, "Blob trigger for {BlobName} finished: {Status}")]
    private static partial void LogOutcome(ILogger logger, string blobName, IngestStatus status);
}
