namespace Camrelizumab.Safety.Core.Ctcae;

/// <summary>One CTCAE v5.0 term as NCI published it.</summary>
/// <param name="Code">The MedDRA LLT code NCI printed for the term.</param>
/// <param name="Soc">The MedDRA system organ class the term sits under in CTCAE v5.0.</param>
/// <param name="Name">The term, e.g. "Alanine aminotransferase increased".</param>
/// <param name="GradeTexts">Grade 1 to 5 criteria; <c>null</c> where NCI prints "-" (the grade is not defined for the term).</param>
/// <param name="Definition">NCI's definition, or <c>null</c> where it prints "-".</param>
public sealed record CtcaeTerm(MedDraCode Code, string Soc, string Name, IReadOnlyList<string?> GradeTexts, string? Definition)
{
    /// <summary>True for the 26 "&lt;SOC&gt; - Other, specify" terms, which need the verbatim text to mean anything.</summary>
    public bool IsOtherSpecify => Name.EndsWith("- Other, specify", StringComparison.Ordinal);

    /// <summary>Whether CTCAE v5.0 defines <paramref name="grade"/> for this term (Alopecia has no grade 3; Proteinuria no grade 5).</summary>
    public bool Defines(CtcaeGrade grade) => GradeTexts[grade.Value - 1] is not null;

    /// <summary>The criterion text of a grade, or <c>null</c> when the grade is not defined for the term.</summary>
    public string? Criterion(CtcaeGrade grade) => GradeTexts[grade.Value - 1];

    public override string ToString() => Name;
}
