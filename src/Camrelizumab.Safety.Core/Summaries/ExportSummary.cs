using Camrelizumab.Safety.Core.Ingest;

namespace Camrelizumab.Safety.Core.Summaries;

/// <summary>What <c>safety summarize</c> prints: per arm counts, and every event row that could not be counted, with why.</summary>
/// <param name="EventRowsRead">Event rows read; equals counted + outside the population + not treatment-emergent + rejected.</param>
public sealed record ExportSummary(
    IReadOnlyDictionary<string, ArmSummary> Arms,
    long SubjectRowsRead,
    int SubjectsOutsidePopulation,
    long EventRowsRead,
    long EventsCounted,
    long EventsOutsidePopulation,
    long EventsNotTreatmentEmergent,
    long EventsCodedToCtcae,
    long Rejected,
    IReadOnlyList<RowRejection> Rejections);
