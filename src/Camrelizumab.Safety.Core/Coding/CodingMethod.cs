namespace Camrelizumab.Safety.Core.Coding;

/// <summary>Which rung of the coding ladder decided a row's CTCAE term.</summary>
public enum CodingMethod
{
    /// <summary>The export's MedDRA LLT code is the code of a CTCAE v5.0 term.</summary>
    MedDraCode,

    /// <summary>The text is a CTCAE v5.0 term (case, spacing and punctuation ignored).</summary>
    ExactTerm,

    /// <summary>A CTCAE v4.03 term that v5.0 no longer has, converted with NCI's v4.03 → v5.0 mapping.</summary>
    V4Mapping,

    /// <summary>British spelling turned American (anaemia, oesophagitis, haemorrhage) gives a CTCAE term.</summary>
    Spelling,

    /// <summary>A radiation- or immune-related qualifier dropped gives a CTCAE term (CTCAE has no separate term).</summary>
    QualifierDropped,

    /// <summary>The curated synonym table (MedDRA preferred terms, clinical shorthand, Chinese).</summary>
    Synonym,

    /// <summary>Close enough to one term, and clearly closer than to any other, to code with the stated confidence.</summary>
    Fuzzy,

    /// <summary>A coder's recorded decision for this verbatim text (<c>safety coding assign</c>).</summary>
    CoderDecision,

    /// <summary>Not coded: the row needs a coder.</summary>
    NeedsCoding,
}
