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

    /// <summary>The text is a term or synonym in another word order or number, behind a MedDRA specimen prefix ("Blood …"),
    /// or with grade, severity, course or laterality words ("grade 2", "worsening", "left", "NOS") set aside.</summary>
    WordForm,

    /// <summary>An analyte and a direction ("low platelets", "elevated ALT", "血钾降低") name the term (<c>Coding/Data/analytes.csv</c>).</summary>
    AnalyteDirection,

    /// <summary>Pain or swelling at a body site CTCAE folds into one term ("knee pain" → Arthralgia; <c>Coding/Data/body_sites.csv</c>).</summary>
    BodySite,

    /// <summary>A cause, course, extent or histology qualifier (radiation, immune-related, acute, generalised, erosive) dropped
    /// gives the CTCAE term (CTCAE has no separate term with the qualifier); never an infection term, which the cause would
    /// contradict.</summary>
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
