using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Core.Queries;

namespace Camrelizumab.Safety.Core.AdverseEvents;

/// <summary>One adverse event as accepted at ingest, coded to CTCAE v5.0.</summary>
/// <remarks>
/// An AE is identified by study, subject and <see cref="AeId"/> (the export's AESEQ or AE ID); a later export with the
/// same identity replaces it. Attribution is kept separately for each study treatment. <c>null</c> means "not reported".
/// An event is stored whatever its data problems: each is a <see cref="EventQuery"/> on it, and the fields hold the
/// conservative reading while the query is open (an unreadable serious flag is stored as serious, an unreadable grade
/// as grade 3, an uncoded term as no term).
/// </remarks>
public sealed record AdverseEvent
{
    public required string StudyId { get; init; }

    public required string SubjectId { get; init; }

    public required string AeId { get; init; }

    /// <summary>The investigator's verbatim term, kept as written.</summary>
    public string? VerbatimTerm { get; init; }

    /// <summary>The CTCAE v5.0 term; <c>null</c> while the event awaits coding (<see cref="QueryKind.Uncoded"/>). An
    /// uncoded event counts in every term-independent count and rule.</summary>
    public required CtcaeTerm? Term { get; init; }

    /// <summary>Open data queries on this version of the event, in the order they were found.</summary>
    public IReadOnlyList<EventQuery> Queries { get; init; } = [];

    /// <summary>The coder decision that gave <see cref="Term"/> (verbatim key and decision version), when one did.</summary>
    public string? CodingDecision { get; init; }

    /// <summary>When the first file holding this event arrived: day 0 of the ICH E2A clock. Not part of the content.</summary>
    public DateTimeOffset? FirstReceivedAt { get; init; }

    /// <summary>Which rung of the coding ladder chose <see cref="Term"/>.</summary>
    public Coding.CodingMethod CodingMethod { get; init; } = Coding.CodingMethod.ExactTerm;

    /// <summary>1 for every deterministic rung; the similarity for a fuzzy match.</summary>
    public double CodingConfidence { get; init; } = 1;

    public required CtcaeGrade Grade { get; init; }

    /// <summary>True when the export gave only a severity (mild … fatal) and the grade was derived from it.</summary>
    public bool GradeDerivedFromSeverity { get; init; }

    public bool? Serious { get; init; }

    /// <summary>The investigator's attribution to camrelizumab; <c>null</c> when not reported.</summary>
    public bool? RelatedToCamrelizumab { get; init; }

    /// <summary>The investigator's attribution to radiotherapy; <c>null</c> when not reported (always so in the monotherapy arm).</summary>
    public bool? RelatedToRadiotherapy { get; init; }

    public PartialDate? Onset { get; init; }

    public PartialDate? Resolution { get; init; }

    /// <summary>The reported outcome (e.g. AEOUT "FATAL"), as written.</summary>
    public string? Outcome { get; init; }

    /// <summary>The event resulted in death (SDTM AESDTH = Y, or a death date on the AE row); <c>null</c> when not reported.</summary>
    public bool? ResultsInDeath { get; init; }

    /// <summary>Action taken with study treatment (SDTM AEACN), as written.</summary>
    public string? ActionTaken { get; init; }

    public required SourceReference Source { get; init; }

    /// <summary>Which export source the event came from (a source profile's name, or the inbox folder); a later full
    /// export from the same origin that lacks the event marks it deleted.</summary>
    public string Origin { get; init; } = "";

    /// <summary>Treatment-emergent as the export flags it (ADaM TRTEMFL, SDTM SUPPAE AETRTEM); <c>null</c> when not
    /// flagged. An event flagged not treatment-emergent is stored but never counted in safety summaries or rules.</summary>
    public bool? TreatmentEmergent { get; init; }

    /// <summary>Study treatment was withdrawn or permanently discontinued because of the event (AEACN "DRUG WITHDRAWN").</summary>
    public bool LeadsToDiscontinuation =>
        ActionTaken is { } action
        && (action.Contains("WITHDRAWN", StringComparison.OrdinalIgnoreCase) || action.Contains("DISCONTINU", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Treatment-related for safety counting: related to camrelizumab or to radiotherapy, or with no attribution
    /// reported at all. Counting a missing attribution as related is the conservative convention for safety tables
    /// (an event is excluded from "related" only when an investigator said so).
    /// </summary>
    public bool IsTreatmentRelated => TreatmentRelated(RelatedToCamrelizumab, RelatedToRadiotherapy);

    /// <summary><see cref="IsTreatmentRelated"/> of an attribution, for readers that count without building an event.</summary>
    public static bool TreatmentRelated(bool? camrelizumab, bool? radiotherapy) =>
        camrelizumab is true || radiotherapy is true || (camrelizumab is null && radiotherapy is null);

    /// <summary>True while no term is known: no ladder rung and no coder decision coded it.</summary>
    public bool IsUncoded => Term is null;

    /// <summary>The term for tables and messages: the CTCAE name, or "Awaiting coding".</summary>
    public string TermName => Term?.Name ?? UncodedLabel;

    /// <summary>The SOC for tables and messages, or "Awaiting coding".</summary>
    public string SocName => Term?.Soc ?? UncodedLabel;

    /// <summary>How uncoded events are shown in term and SOC tables.</summary>
    public const string UncodedLabel = "Awaiting coding";

    /// <summary>Grade 5, a fatal outcome (AEOUT FATAL), or the event resulted in death (AESDTH, a death date).</summary>
    public bool IsFatal => Fatal(Grade.Value, Outcome, ResultsInDeath);

    /// <summary><see cref="IsFatal"/> of a row's values, for readers that count without building an event.</summary>
    public static bool Fatal(int grade, string? outcome, bool? resultsInDeath) =>
        grade == 5 || string.Equals(outcome?.Trim(), "FATAL", StringComparison.OrdinalIgnoreCase) || resultsInDeath is true;
}
