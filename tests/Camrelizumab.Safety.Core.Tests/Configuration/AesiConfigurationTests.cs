using Camrelizumab.Safety.Core.AdverseEvents;
using Camrelizumab.Safety.Core.Ctcae;

namespace Camrelizumab.Safety.Core.Tests.Configuration;

public sealed class AesiConfigurationTests
{
    private static readonly AesiConfiguration Aesi = AesiConfiguration.LoadDefaults();

    private static AdverseEvent Event(string term, string? verbatim, bool? relatedCam, bool? relatedRt) => new()
    {
        StudyId = "S",
        SubjectId = "A-1",
        AeId = "1",
        VerbatimTerm = verbatim,
        Term = CtcaeDictionary.V5.Find(term)!,
        Grade = new CtcaeGrade(2),
        RelatedToCamrelizumab = relatedCam,
        RelatedToRadiotherapy = relatedRt,
        Source = new SourceReference("f", "sha", 2),
    };

    [Theory]
    // RCCEP is coded to the skin "Other, specify" term and recognised by its verbatim text (English or Chinese).
    [InlineData("Skin and subcutaneous tissue disorders - Other, specify", "Reactive cutaneous capillary endothelial proliferation (RCCEP)", true, null, "rccep")]
    [InlineData("Skin and subcutaneous tissue disorders - Other, specify", "反应性皮肤毛细血管增生症", true, null, "rccep")]
    [InlineData("Skin and subcutaneous tissue disorders - Other, specify", "Skin lump", true, null, null)]
    // Pneumonitis is immune-related when attributed to camrelizumab, radiation-related when attributed to RT, or both.
    [InlineData("Pneumonitis", "Pneumonitis", true, false, "immune-pneumonitis")]
    [InlineData("Pneumonitis", "Radiation pneumonitis", false, true, "radiation-pneumonitis")]
    [InlineData("Esophagitis", "Radiation oesophagitis", false, true, "radiation-esophagitis")]
    [InlineData("Esophageal fistula", "TE fistula", false, false, "radiation-fistula")]
    [InlineData("Hypothyroidism", "Hypothyroidism", null, null, "immune-thyroid")]
    [InlineData("Anemia", "Anaemia", true, true, null)]
    public void Classify_PlacesEventsInReviewedCategories(string term, string? verbatim, bool? relatedCam, bool? relatedRt, string? category)
    {
        var categories = Aesi.Classify(Event(term, verbatim, relatedCam, relatedRt)).Select(c => c.Id).ToList();

        if (category is null)
        {
            Assert.Empty(categories);
        }
        else
        {
            Assert.Contains(category, categories);
        }
    }

    [Fact]
    public void Classify_PneumonitisRelatedToBoth_CountsInBothGroups()
    {
        var categories = Aesi.Classify(Event("Pneumonitis", "Pneumonitis", true, true)).Select(c => c.Id).ToList();

        Assert.Equal(["immune-pneumonitis", "radiation-pneumonitis"], categories);
    }

    [Fact]
    public void LoadDefaults_EveryTermIsACtcaeTerm() =>
        Assert.All(Aesi.Categories.SelectMany(c => c.Terms), t => Assert.Equal(t, CtcaeDictionary.V5.Find(t)?.Name));
}
