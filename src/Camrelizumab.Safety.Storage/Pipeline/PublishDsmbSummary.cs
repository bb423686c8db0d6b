using System.Globalization;
using System.Text;
using Azure.Storage.Blobs.Models;
using Camrelizumab.Safety.Core.Configuration;
using Camrelizumab.Safety.Core.Reporting;
using Camrelizumab.Safety.Core.Stopping;
using Microsoft.Extensions.Logging;

namespace Camrelizumab.Safety.Storage.Pipeline;

/// <summary>
/// The timer step that writes the closed (by-arm) DSMB summary to <c>dsmb-closed</c>. The blob name comes from the
/// schedule occurrence, so a retried or caught-up run overwrites its own report instead of adding another.
/// </summary>
public sealed class PublishDsmbSummary(
    SafetyStore store,
    SafetyRules rules,
    SnapshotReader snapshot,
    TimeProvider timeProvider,
    ILogger<PublishDsmbSummary> logger)
{
    public async Task<string> RunAsync(DateTimeOffset scheduledTime, CancellationToken cancellationToken)
    {
        using var activity = SafetyTelemetry.ActivitySource.StartActivity("PublishDsmbSummary");
        var asOf = DateOnly.FromDateTime(scheduledTime.UtcDateTime);
        var evaluation = await snapshot.EvaluateAsync(asOf, cancellationToken);
        var html = DsmbReport.RenderClosed(new DsmbReportInput(
            rules.Study,
            asOf,
            timeProvider.GetUtcNow(),
            rules.Version,
            evaluation.DictionaryVersion,
            evaluation.EvaluationId,
            evaluation.Summary,
            evaluation.Evaluations,
            ArmMultiplicity.Compute(rules)));
        var name = string.Create(CultureInfo.InvariantCulture, $"{scheduledTime.UtcDateTime:yyyy-MM-dd}/dsmb-closed-{scheduledTime.UtcDateTime:yyyyMMdd'T'HHmm}Z.html");
        await store.DsmbClosed.GetBlobClient(name).UploadAsync(
            BinaryData.FromBytes(Encoding.UTF8.GetBytes(html)),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "text/html; charset=utf-8" } },
            cancellationToken);
        Log.SummaryPublished(logger, name);
        return name;
    }
}
