namespace Camrelizumab.Safety.Core.Summaries;

/// <summary>
/// Who an offline summary counts in an arm's denominator, and whose events it counts. Both leave out screen failures and
/// subjects never assigned (DM ARM "Screen Failure", "Not Assigned" or empty) and, where the subject file has ADSL
/// <c>SAFFL</c>, subjects outside the safety population.
/// </summary>
public enum SummaryPopulation
{
    /// <summary>Only subjects who received study treatment: DM <c>RFXSTDTC</c> filled, where the file has it. The
    /// safety population as sponsor TEAE tables (the CDISC pilot's 14-5.01) count it; the default of <c>safety summarize</c>.</summary>
    Dosed,

    /// <summary>Every subject in an arm, dosed or not yet: the roster as ingest stores it and as the pipeline's per-arm
    /// counts, rules and DSMB report count events. Use it to check the pipeline's numbers.</summary>
    Roster,
}
