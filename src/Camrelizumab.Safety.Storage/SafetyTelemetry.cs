using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Camrelizumab.Safety.Storage;

/// <summary>The pipeline's one ActivitySource and one Meter.</summary>
public static class SafetyTelemetry
{
    public const string Name = "Camrelizumab.Safety";

    public static readonly ActivitySource ActivitySource = new(Name);

    private static readonly Meter Meter = new(Name);

    public static readonly Counter<long> RowsAccepted = Meter.CreateCounter<long>("safety.ingest.rows_accepted", "{row}");

    public static readonly Counter<long> RowsRejected = Meter.CreateCounter<long>("safety.ingest.rows_rejected", "{row}");

    public static readonly Counter<long> FilesQuarantined = Meter.CreateCounter<long>("safety.ingest.files_quarantined", "{file}");

    public static readonly Counter<long> RulesEvaluated = Meter.CreateCounter<long>("safety.rules.evaluated", "{rule}");

    public static readonly Counter<long> AlertsSent = Meter.CreateCounter<long>("safety.alerts.sent", "{message}");
}
