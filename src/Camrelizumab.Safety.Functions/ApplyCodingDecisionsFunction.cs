using Azure.Storage.Blobs;
using Camrelizumab.Safety.Storage.Pipeline;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Camrelizumab.Safety.Functions;

/// <summary>Blob trigger on coding-decisions (Event Grid source): where no CLI runs, a coder's decisions file is applied
/// and receipted; bind, call the step, log the counts.</summary>
public sealed partial class ApplyCodingDecisionsFunction(ResolveQueries queries, ILogger<ApplyCodingDecisionsFunction> logger)
{
    [Function("ApplyCodingDecisions")]
    public async Task RunAsync(
        [BlobTrigger("coding-decisions/{name}", Source = BlobTriggerSource.EventGrid, Connection = SafetyFunctionsHost.StorageConnection)] BlobClient blob,
        string name,
        CancellationToken cancellationToken)
    {
        var receipt = await queries.ApplyDecisionFileAsync(name, cancellationToken);
        LogReceipt(logger, blob.Name, receipt.Recorded, receipt.Unchanged, receipt.Refused);
    }

    [LoggerMessage(9011, LogLevel.Information, "Coding decisions {BlobName}: {Recorded} recorded, {Unchanged} unchanged, {Refused} refused")]
    private static partial void LogReceipt(ILogger logger, string blobName, int recorded, int unchanged, int refused);
}
