using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Storage.Tables;

namespace Camrelizumab.Safety.Storage;

/// <summary>The pipeline's containers and tables, from one blob and one table service client.</summary>
public sealed class SafetyStore
{
    public SafetyStore(BlobServiceClient blobs, TableServiceClient tables, StorageNames names, CtcaeDictionary dictionary, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(names);
        Blobs = blobs;
        TableService = tables;
        Names = names;
        Inbox = blobs.GetBlobContainerClient(names.Inbox);
        Archive = blobs.GetBlobContainerClient(names.Archive);
        Quarantine = blobs.GetBlobContainerClient(names.Quarantine);
        IngestReports = blobs.GetBlobContainerClient(names.IngestReports);
        DsmbClosed = blobs.GetBlobContainerClient(names.DsmbClosed);
        DsmbOpen = blobs.GetBlobContainerClient(names.DsmbOpen);
        Runtime = blobs.GetBlobContainerClient(names.Runtime);
        EvaluationInputs = blobs.GetBlobContainerClient(names.EvaluationInputs);
        AdverseEvents = new AdverseEventTable(tables.GetTableClient(names.AdverseEvents), tables.GetTableClient(names.AdverseEventHistory), dictionary);
        Subjects = new SubjectTable(tables.GetTableClient(names.Subjects));
        Qualifiers = new QualifierTable(tables.GetTableClient(names.AdverseEventQualifiers));
        Exposures = new ExposureTable(tables.GetTableClient(names.Exposures));
        Dispositions = new DispositionTable(tables.GetTableClient(names.Dispositions));
        ArmAggregates = new ArmAggregateTable(tables.GetTableClient(names.ArmAggregates));
        RuleEvaluations = new RuleEvaluationTable(tables.GetTableClient(names.RuleEvaluations));
        AlertLedger = new AlertLedger(tables.GetTableClient(names.AlertLedger), timeProvider);
        FileLedger = new FileLedger(tables.GetTableClient(names.FileLedger), timeProvider);
        CodingDecisions = new CodingDecisionTable(tables.GetTableClient(names.CodingDecisions), dictionary);
        SubjectFacts = new SubjectFactsTable(tables.GetTableClient(names.SubjectFacts));
        CodingDecisionsInbox = blobs.GetBlobContainerClient(names.CodingDecisionsInbox);
    }

    public BlobServiceClient Blobs { get; }

    /// <summary>The raw table service: for the facts fold's own rows and for tests that plant or tamper with rows; everything else goes through a table's class.</summary>
    internal TableServiceClient TableService { get; }

    public StorageNames Names { get; }

    public BlobContainerClient Inbox { get; }

    public BlobContainerClient Archive { get; }

    public BlobContainerClient Quarantine { get; }

    public BlobContainerClient IngestReports { get; }

    public BlobContainerClient DsmbClosed { get; }

    public BlobContainerClient DsmbOpen { get; }

    public BlobContainerClient Runtime { get; }

    public BlobContainerClient EvaluationInputs { get; }

    public AdverseEventTable AdverseEvents { get; }

    public SubjectTable Subjects { get; }

    public QualifierTable Qualifiers { get; }

    public ExposureTable Exposures { get; }

    public DispositionTable Dispositions { get; }

    public ArmAggregateTable ArmAggregates { get; }

    public RuleEvaluationTable RuleEvaluations { get; }

    public AlertLedger AlertLedger { get; }

    public FileLedger FileLedger { get; }

    public CodingDecisionTable CodingDecisions { get; }

    public SubjectFactsTable SubjectFacts { get; }

    public BlobContainerClient CodingDecisionsInbox { get; }

    /// <summary>Creates every container and table that does not exist yet. Safe to call on every start.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        foreach (var container in Names.Containers)
        {
            await Blobs.GetBlobContainerClient(container).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }

        foreach (var table in Names.Tables)
        {
            await TableService.CreateTableIfNotExistsAsync(table, cancellationToken);
        }
    }
}
