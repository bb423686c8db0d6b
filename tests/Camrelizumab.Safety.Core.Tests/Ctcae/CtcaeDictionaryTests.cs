using Camrelizumab.Safety.Core.Ctcae;

namespace Camrelizumab.Safety.Core.Tests.Ctcae;

public sealed class CtcaeDictionaryTests
{
    private static readonly CtcaeDictionary Dictionary = CtcaeDictionary.V5;

    [Fact]
    public void V5_Has837TermsIn26Socs_AsNciPublished()
    {
        Assert.Equal(837, Dictionary.Terms.Count);
        Assert.Equal(26, Dictionary.Socs.Count);
        Assert.Equal(837, Dictionary.Terms.Select(t => t.Code).Distinct().Count());
        Assert.Equal(837, Dictionary.Terms.Select(t => t.Name.ToUpperInvariant()).Distinct().Count());
    }

    [Fact]
    public void V5_EverySocHasExactlyOneOtherSpecifyTerm()
    {
        foreach (var soc in Dictionary.Socs)
        {
            Assert.Single(Dictionary.Terms, t => t.Soc == soc && t.IsOtherSpecify);
        }
    }

    [Fact]
    public void V5_UndefinedGradeCountsMatchSource()
    {
        // SOURCE.md: grade 5 is "-" for 343 terms; grades 1-4 are "-" for 192, 92, 87 and 286 terms.
        int[] undefined = [.. Enumerable.Range(1, 5).Select(g => Dictionary.Terms.Count(t => !t.Defines(new CtcaeGrade(g))))];

        Assert.Equal([192, 92, 87, 286, 343], undefined);
    }

    [Fact]
    public void Find_EveryTermCodesToItself_ByNameAndByCode()
    {
        foreach (var term in Dictionary.Terms)
        {
            Assert.Same(term, Dictionary.Find(term.Name));
            Assert.Same(term, Dictionary.Find(term.Name.ToUpperInvariant()));
            Assert.Same(term, Dictionary.Find(term.Code));
        }
    }

    [Theory]
    [InlineData("alanine aminotransferase  increased", "Alanine aminotransferase increased")]
    [InlineData("Rash maculopapular", null)]
    [InlineData("rash-maculo-papular", "Rash maculo-papular")]
    [InlineData("ESOPHAGEAL FISTULA", "Esophageal fistula")]
    [InlineData("Oesophageal fistula", null)]
    public void Find_IgnoresCaseSpacingAndPunctuationButNotSpelling(string text, string? expected) =>
        Assert.Equal(expected, Dictionary.Find(text)?.Name);

    [Theory]
    // CTCAE v5.0: Alopecia has grades 1-2 only; Proteinuria has no grade 5; Death NOS has grade 5 only.
    [InlineData("Alopecia", 3, false)]
    [InlineData("Alopecia", 2, true)]
    [InlineData("Proteinuria", 5, false)]
    [InlineData("Death NOS", 5, true)]
    [InlineData("Death NOS", 1, false)]
    [InlineData("Pneumonitis", 5, true)]
    public void Defines_FollowsNciDashes(string name, int grade, bool defined) =>
        Assert.Equal(defined, Dictionary.Find(name)!.Defines(new CtcaeGrade(grade)));
}
