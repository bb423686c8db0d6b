using Camrelizumab.Safety.Core.Ingest;

namespace Camrelizumab.Safety.Core.Summaries;

/// <summary>What <c>safety summarize</c> prints: per arm counts, and every event row that could not be counted, with why.</summary>
/// <param name="EventRowsRead">Event rows read; equals counted + outside the population + not treatment-emergent + rejected (+ non-serious rows skipped when counting serious events only).</param>
/// <param name="EventsCodedToCtcae">Counted events the coding ladder coded to CTCAE v5.0 (when counting by CTCAE term; 0 when counting by the export's own terms).</param>
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
    IReadOnlyList<RowRejection> Rejections)
{
    /// <summary>Counted rows with an empty or unreadable grade, serious, relatedness or treatment-emergent cell, counted the
    /// conservative way: the queries ingest would raise on the stored events.</summary>
    public IReadOnlyList<RowQuery> Queries { get; init; } = [];
}
