namespace Camrelizumab.Safety.Core.Aggregation;

/// <summary>
/// The safety overview of one arm. Every subject count counts a subject once, at the worst grade of the events that
/// qualify for that row; percentages use <see cref="Subjects"/> (the randomized subjects in the roster) as denominator.
/// </summary>
public sealed record ArmSafetySummary
{
    public required string Arm { get; init; }

    public required string ArmLabel { get; init; }

    /// <summary>Randomized subjects in the roster.</summary>
    public required int Subjects { get; init; }

    /// <summary>Subjects with a first dose date.</summary>
    public required int DosedSubjects { get; init; }

    public required int Events { get; init; }

    public required int SubjectsWithAnyEvent { get; init; }

    /// <summary>Index 0..4 = worst grade 1..5.</summary>
    public required IReadOnlyList<int> SubjectsByWorstGrade { get; init; }

    public int SubjectsWithGrade3OrWorse => SubjectsByWorstGrade[2] + SubjectsByWorstGrade[3] + SubjectsByWorstGrade[4];

    public int SubjectsWithGrade4OrWorse => SubjectsByWorstGrade[3] + SubjectsByWorstGrade[4];

    public int SubjectsWithGrade5 => SubjectsByWorstGrade[4];

    public required int SubjectsWithSerious { get; init; }

    /// <summary>Treatment-related (either treatment, or attribution missing; see <see cref="AdverseEvents.AdverseEvent.IsTreatmentRelated"/>).</summary>
    public required int SubjectsWithTreatmentRelated { get; init; }

    public required int SubjectsWithTreatmentRelatedGrade3OrWorse { get; init; }

    public required int SubjectsWithCamrelizumabRelated { get; init; }

    public required int SubjectsWithRadiotherapyRelated { get; init; }

    public required int SubjectsWithFatal { get; init; }

    public required int SubjectsWithDiscontinuation { get; init; }

    /// <summary>AEs of special interest by category (config/aesi.json), subjects at worst grade; Name = label, Soc = group.</summary>
    public required IReadOnlyList<TermCount> SpecialInterest { get; init; }

    /// <summary>By CTCAE term, most subjects first.</summary>
    public required IReadOnlyList<TermCount> Terms { get; init; }

    /// <summary>By system organ class, most subjects first.</summary>
    public required IReadOnlyList<TermCount> Socs { get; init; }
}
