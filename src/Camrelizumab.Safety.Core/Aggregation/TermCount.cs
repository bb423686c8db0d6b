namespace Camrelizumab.Safety.Core.Aggregation;

/// <summary>Subjects with a term (or SOC), each counted once at their worst grade for it.</summary>
/// <param name="Name">The CTCAE term, or the SOC for SOC rows.</param>
/// <param name="Soc">The SOC the term belongs to (equal to <paramref name="Name"/> on SOC rows).</param>
/// <param name="SubjectsByWorstGrade">Index 0..4 = grade 1..5.</param>
public sealed record TermCount(string Name, string Soc, IReadOnlyList<int> SubjectsByWorstGrade)
{
    public int Subjects => SubjectsByWorstGrade.Sum();

    public int SubjectsGrade3OrWorse => SubjectsByWorstGrade[2] + SubjectsByWorstGrade[3] + SubjectsByWorstGrade[4];

    public int SubjectsGrade5 => SubjectsByWorstGrade[4];
}
