using Camrelizumab.Safety.Core.AdverseEvents;
using Camrelizumab.Safety.Core.Aggregation;
using Camrelizumab.Safety.Core.Queries;
using Camrelizumab.Safety.Core.Stopping;
using Camrelizumab.Safety.Core.Subjects;

namespace Camrelizumab.Safety.Core.Reporting;

/// <summary>Everything a DSMB summary shows, gathered by the caller.</summary>
public sealed record DsmbReportInput(
    string Study,
    DateOnly AsOf,
    DateTimeOffset GeneratedAt,
    string RulesVersion,
    string DictionaryVersion,
    string EvaluationId,
    SafetySummary Summary,
    IReadOnlyList<RuleEvaluation> Evaluations,
    IReadOnlyList<ArmMultiplicity> Multiplicity)
{
    /// <summary>The subjects behind the summary (exposure, time-to-event).</summary>
    public IReadOnlyList<Subject> Subjects { get; init; } = [];

    /// <summary>How much of the data is provisional: events awaiting coding, under a grade query, not in the roster.</summary>
    public DataQuerySummary DataQueries { get; init; } = DataQuerySummary.None;

    /// <summary>Per rule id, the evaluation if every event awaiting coding qualified (rules that name terms, SOCs or AESI).</summary>
    public IReadOnlyDictionary<string, RuleEvaluation> IfUncodedQualified { get; init; } = new Dictionary<string, RuleEvaluation>();

    /// <summary>The events behind the summary (deaths, time-to-event).</summary>
    public IReadOnlyList<AdverseEvent> Events { get; init; } = [];

    /// <summary>What is not in the counts and how fresh each source is; <c>null</c> when the caller has no ingest ledger.</summary>
    public DataCompleteness? Completeness { get; init; }

    /// <summary>The SDTM EX records received (exposure); empty when no EX file has been processed.</summary>
    public IReadOnlyList<ExposureRecord> Exposures { get; init; } = [];

    /// <summary>The SDTM DS records received (disposition); empty when no DS file has been processed.</summary>
    public IReadOnlyList<DispositionRecord> Dispositions { get; init; } = [];

    /// <summary>The camrelizumab regimen dose intensity is measured against.</summary>
    public PlannedRegimen Regimen { get; init; } = PlannedRegimen.Camrelizumab;

    /// <summary>When the previous summary read its data: events first received after it are marked new. <c>null</c> for
    /// the first summary.</summary>
    public DateTimeOffset? PreviousReportAt { get; init; }

    /// <summary>An event first received after the previous summary (never for the first one).</summary>
    public bool IsNew(AdverseEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return PreviousReportAt is { } previous && e.FirstReceivedAt is { } received && received > previous;
    }
}
