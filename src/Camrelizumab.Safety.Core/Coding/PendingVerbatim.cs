using Camrelizumab.Safety.Core.Ctcae;

namespace Camrelizumab.Safety.Core.Coding;

/// <summary>One distinct verbatim awaiting coding, with what a coder needs to prioritise and decide it.</summary>
/// <param name="Verbatim">The text as first written (others differing only in case, spacing or punctuation share its key).</param>
/// <param name="ByArm">Events per arm code (subjects not in a roster under "not in roster"); show only to closed roles.</param>
/// <param name="Suggestions">The closest CTCAE terms with their similarity, best first.</param>
public sealed record PendingVerbatim(
    string Verbatim,
    string VerbatimKey,
    int Events,
    int Subjects,
    int WorstGrade,
    int Serious,
    IReadOnlyDictionary<string, int> ByArm,
    IReadOnlyList<(CtcaeTerm Term, double Similarity)> Suggestions)
{
    public const string NotInRoster = "not in roster";
}
