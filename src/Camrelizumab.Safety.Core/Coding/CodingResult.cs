using Camrelizumab.Safety.Core.Ctcae;

namespace Camrelizumab.Safety.Core.Coding;

/// <summary>How one verbatim text was coded, or why it was not.</summary>
/// <param name="Term">The CTCAE v5.0 term; <c>null</c> when the row needs coding.</param>
/// <param name="Confidence">1 for every deterministic rung; the similarity for fuzzy matches and suggestions.</param>
/// <param name="Suggestions">For a row that needs coding, the closest terms by meaning with their relevance (0 to 1), best first
/// (see <see cref="CtcaeCoder.Suggest"/>).</param>
public sealed record CodingResult(string Verbatim, CtcaeTerm? Term, CodingMethod Method, double Confidence, string? Note, IReadOnlyList<(CtcaeTerm Term, double Similarity)> Suggestions)
{
    public bool IsCoded => Term is not null;

    /// <summary><c>coded</c> or <c>needs-coding</c>.</summary>
    public string Status => IsCoded ? "coded" : "needs-coding";

    public static string MethodName(CodingMethod method) => method switch
    {
        CodingMethod.MedDraCode => "meddra-code",
        CodingMethod.ExactTerm => "exact-term",
        CodingMethod.V4Mapping => "ctcae-v4-mapping",
        CodingMethod.Spelling => "british-spelling",
        CodingMethod.WordForm => "word-form",
        CodingMethod.AnalyteDirection => "analyte-direction",
        CodingMethod.BodySite => "body-site",
        CodingMethod.QualifierDropped => "qualifier-dropped",
        CodingMethod.Synonym => "synonym",
        CodingMethod.Fuzzy => "fuzzy",
        CodingMethod.CoderDecision => "coder-decision",
        CodingMethod.NeedsCoding => "needs-coding",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, null),
    };
}
