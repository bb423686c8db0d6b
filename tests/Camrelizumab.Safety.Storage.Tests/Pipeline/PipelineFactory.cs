using Camrelizumab.Safety.Core.AdverseEvents;
using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Core.Ingest;
using Camrelizumab.Safety.Core.Stopping;
using Camrelizumab.Safety.Storage.Mail;
using Camrelizumab.Safety.Storage.Pipeline;
using Microsoft.Extensions.Logging.Abstractions;

namespace Camrelizumab.Safety.Storage.Tests.Pipeline;

/// <summary>Builds the real pipeline steps over an Azurite-backed store, the way the DI registration does: one factory is one host.</summary>
internal sealed class PipelineFactory(SafetyStore store, TimeProvider time, IMailTransport transport)
{
    private Notifier? _notifier;

    public static readonly MailOptions Mail = new()
    {
        From = "Safety <safety@example.org>",
        Recipients =
        {
            ["safetyPhysicians"] = ["physician@example.org"],
            ["dsmb"] = ["dsmb@example.org"],
            ["dataManagers"] = ["data.manager@example.org"],
        },
    };

    public SafetyRules Rules { get; init; } = SafetyRules.LoadDefaults();

    public IngestAdverseEventExport Ingest(int maxAttempts = 5, IngestProbe? probe = null, IngestOptions? options = null) =>
        new(store, Rules, CtcaeDictionary.V5, options ?? new IngestOptions { MaxAttempts = maxAttempts }, ExpectedAdverseEvents.LoadDefaults(), SourceProfiles.LoadDefaults(), Notifier(), Mail, ArmUpdates(), new SnapshotReader(store, Rules), probe ?? IngestProbe.None, time, NullLogger<IngestAdverseEventExport>.Instance);

    public EvaluateStoppingRules Evaluate() =>
        new(store, Rules, new SnapshotReader(store, Rules), Notifier(), Mail, ArmUpdates(), time, NullLogger<EvaluateStoppingRules>.Instance);

    public PublishDsmbSummary Publish() =>
        new(store, Rules, new SnapshotReader(store, Rules), Notifier(), Mail, time, NullLogger<PublishDsmbSummary>.Instance);

    public ResolveQueries Queries() =>
        new(store, new SnapshotReader(store, Rules), CtcaeDictionary.V5, time, NullLogger<ResolveQueries>.Instance);

    public ExpeditedArmUpdates ArmUpdates() => new(store, Rules, Notifier(), NullLogger<ExpeditedArmUpdates>.Instance);

    /// <summary>This host's outbox sender (one per host, as in DI: its leases carry one holder name).</summary>
    public Notifier Notifier() => _notifier ??= new(store.AlertLedger, transport, Mail, store, time, NullLogger<Notifier>.Instance);

    /// <summary>Sends what the steps reserved, as the delivery timer does.</summary>
    public Task<DeliveryRun> DeliverAsync() => Notifier().DeliverDueAsync(TestContext.Current.CancellationToken);
}
