using Camrelizumab.Safety.Core.Coding;
using Camrelizumab.Safety.Core.Ctcae;

namespace Camrelizumab.Safety.Core.Tests.Coding;

public sealed class CtcaeCoderTests
{
    private static readonly CtcaeCoder Coder = CtcaeCoder.Default;

    [Theory]
    // Exact CTCAE terms, case and punctuation aside.
    [InlineData("Esophageal fistula", "Esophageal fistula", CodingMethod.ExactTerm)]
    [InlineData("ALANINE AMINOTRANSFERASE INCREASED", "Alanine aminotransferase increased", CodingMethod.ExactTerm)]
    // British spellings.
    [InlineData("Anaemia", "Anemia", CodingMethod.Synonym)]
    [InlineData("Diarrhoea", "Diarrhea", CodingMethod.Synonym)]
    [InlineData("Oesophagitis", "Esophagitis", CodingMethod.Synonym)]
    [InlineData("Oesophageal haemorrhage", "Esophageal hemorrhage", CodingMethod.Synonym)]
    [InlineData("Haematuria", "Hematuria", CodingMethod.Spelling)]
    [InlineData("Hypocalcaemia", "Hypocalcemia", CodingMethod.Spelling)]
    [InlineData("RHINORRHOEA", "Rhinorrhea", CodingMethod.Spelling)]
    [InlineData("PARAESTHESIA", "Paresthesia", CodingMethod.Spelling)]
    // MedDRA preferred terms and clinical shorthand.
    [InlineData("Thrombocytopenia", "Platelet count decreased", CodingMethod.Synonym)]
    [InlineData("Neutropenia", "Neutrophil count decreased", CodingMethod.Synonym)]
    [InlineData("ALT elevated", "Alanine aminotransferase increased", CodingMethod.Synonym)]
    [InlineData("Pyrexia", "Fever", CodingMethod.Synonym)]
    [InlineData("Stomatitis", "Mucositis oral", CodingMethod.Synonym)]
    // CTCAE v5.0 directs pneumonia to Lung infection.
    [InlineData("Pneumonia", "Lung infection", CodingMethod.Synonym)]
    // Qualifiers CTCAE has no separate term for.
    [InlineData("Radiation pneumonitis", "Pneumonitis", CodingMethod.QualifierDropped)]
    [InlineData("Immune-related colitis", "Colitis", CodingMethod.QualifierDropped)]
    [InlineData("Radiation-induced oesophagitis", "Esophagitis", CodingMethod.QualifierDropped)]
    // RCCEP: camrelizumab's hallmark AE, coded to the skin "Other, specify" term.
    [InlineData("Reactive cutaneous capillary endothelial proliferation", "Skin and subcutaneous tissue disorders - Other, specify", CodingMethod.Synonym)]
    [InlineData("RCCEP", "Skin and subcutaneous tissue disorders - Other, specify", CodingMethod.Synonym)]
    // Chinese verbatim terms from Chinese sites.
    [InlineData("贫血", "Anemia", CodingMethod.Synonym)]
    [InlineData("放射性食管炎", "Esophagitis", CodingMethod.Synonym)]
    [InlineData("食管气管瘘", "Esophageal fistula", CodingMethod.Synonym)]
    [InlineData("甲状腺功能减退", "Hypothyroidism", CodingMethod.Synonym)]
    [InlineData("反应性皮肤毛细血管增生症", "Skin and subcutaneous tissue disorders - Other, specify", CodingMethod.Synonym)]
    [InlineData("谷丙转氨酶升高", "Alanine aminotransferase increased", CodingMethod.Synonym)]
    // Word form: order, plurals, MedDRA specimen prefix, grade and severity words, "NOS".
    [InlineData("Maculopapular rashes", "Rash maculo-papular", CodingMethod.WordForm)]
    [InlineData("Diarrhoea grade 2", "Diarrhea", CodingMethod.WordForm)]
    [InlineData("Pruritus NOS", "Pruritus", CodingMethod.WordForm)]
    [InlineData("Effusion, pleural (left)", "Pleural effusion", CodingMethod.WordForm)]
    [InlineData("Blood lactate dehydrogenase increased", "Blood lactate dehydrogenase increased", CodingMethod.ExactTerm)]
    // Analyte + direction, any order, English and Chinese; a low haemoglobin is graded as Anemia in CTCAE v5.0.
    [InlineData("ALT elevation", "Alanine aminotransferase increased", CodingMethod.AnalyteDirection)]
    [InlineData("Blood potassium decreased", "Hypokalemia", CodingMethod.AnalyteDirection)]
    [InlineData("low platelets", "Platelet count decreased", CodingMethod.AnalyteDirection)]
    [InlineData("Haemoglobin low", "Anemia", CodingMethod.AnalyteDirection)]
    [InlineData("血钾降低", "Hypokalemia", CodingMethod.AnalyteDirection)]
    [InlineData("ALT升高", "Alanine aminotransferase increased", CodingMethod.AnalyteDirection)]
    [InlineData("低钠", "Hyponatremia", CodingMethod.AnalyteDirection)]
    // Pain or swelling at a site CTCAE folds into one term.
    [InlineData("Pain in left arm", "Pain in extremity", CodingMethod.BodySite)]
    [InlineData("Right knee pain", "Arthralgia", CodingMethod.BodySite)]
    [InlineData("Swelling of both ankles", "Edema limbs", CodingMethod.BodySite)]
    [InlineData("双下肢浮肿", "Edema limbs", CodingMethod.BodySite)]
    // Immune-related myositis has no CTCAE term of its own.
    [InlineData("Immune-related myositis", "Myositis", CodingMethod.QualifierDropped)]
    // "Radiation pneumonia" is how 放射性肺炎 is often translated: radiation pneumonitis, not an infection.
    [InlineData("Radiation pneumonia", "Pneumonitis", CodingMethod.Synonym)]
    // A transposition typo, unambiguous: fuzzy with its confidence recorded.
    [InlineData("Pnuemonitis", "Pneumonitis", CodingMethod.Fuzzy)]
    public void Code_FollowsTheLadder(string verbatim, string term, CodingMethod method)
    {
        var result = Coder.Code(verbatim);

        Assert.Equal(term, result.Term?.Name);
        Assert.Equal(method, result.Method);
        Assert.Equal("coded", result.Status);
    }

    [Theory]
    // Not a term, not a synonym, not close to one: a coder decides.
    [InlineData("Feeling unwell after the weekend")]
    [InlineData("Rash")] // ambiguous in CTCAE v5.0 (maculo-papular, acneiform, …): never guessed
    [InlineData("肺炎")] // pneumonia or pneumonitis: ambiguous in Chinese clinical usage
    [InlineData("Hepatitis")]
    // Found by running the CDISC pilot through the coder: 0.92 similar to "Neutrophil count decreased", the opposite.
    [InlineData("NEUTROPHIL COUNT INCREASED")]
    [InlineData("Platelet count increased")]
    // An analyte in a direction CTCAE has no term for.
    [InlineData("TSH decreased")]
    [InlineData("high neutrophils")]
    // Cardiac or not: the site does not decide.
    [InlineData("Chest pain")]
    // Dropping the cause would make an infection of a radiation injury.
    [InlineData("Radiotherapy related pneumonia")]
    // Look like a grammar but are not: a mass or nodes, presyncope, a pressure that is not blood pressure, a loss
    // that is not an analyte, an appetite CTCAE has no "increased" term for, a patch-site reaction.
    [InlineData("Neck swelling")]
    [InlineData("Feeling faint")]
    [InlineData("Raised intracranial pressure")]
    [InlineData("Blood loss")]
    [InlineData("Increased appetite")]
    [InlineData("Application site pruritus")]
    [InlineData("Bundle branch block left")]
    public void Code_AmbiguousOrUnknownText_NeedsCoding(string verbatim)
    {
        var result = Coder.Code(verbatim);

        Assert.False(result.IsCoded);
        Assert.Equal("needs-coding", result.Status);
        Assert.Equal(CodingMethod.NeedsCoding, result.Method);
    }

    [Fact]
    public void Code_NeedsCoding_OffersTheClosestTerms()
    {
        var result = Coder.Code("Pneumonits acute");

        Assert.False(result.IsCoded);
        Assert.Contains(result.Suggestions, s => s.Term.Name == "Pneumonitis");
    }

    [Theory]
    // Vague text: the term a coder usually means comes first.
    [InlineData("Feeling unwell", "Malaise")]
    // Rash NOS: a rash term, not Thrush (close in letters only).
    [InlineData("Rash", "Rash maculo-papular")]
    [InlineData("皮疹", "Rash maculo-papular")]
    // An analyte and a direction name the term even where a row was coded.
    [InlineData("low platelets", "Platelet count decreased")]
    [InlineData("plt count dropped", "Platelet count decreased")]
    // Shared words with a misspelling.
    [InlineData("Pneumonits acute", "Pneumonitis")]
    [InlineData("GI bleed", "Upper gastrointestinal hemorrhage")]
    public void Suggest_RanksByMeaning(string verbatim, string first)
    {
        var suggestions = Coder.Suggest(verbatim);

        Assert.Equal(first, suggestions[0].Term.Name);
        Assert.DoesNotContain(suggestions, s => s.Term.Name == "Thrush");
        Assert.True(suggestions.Zip(suggestions.Skip(1)).All(p => p.First.Similarity >= p.Second.Similarity));
    }

    [Theory]
    // Never across a direction: CTCAE has no "increased" term for these, and the "decreased" one is not a suggestion.
    [InlineData("Platelet count increased", "Platelet count decreased")]
    [InlineData("NEUTROPHIL COUNT INCREASED", "Neutrophil count decreased")]
    [InlineData("Haemoglobin raised", "Anemia")]
    [InlineData("Potassium high", "Hypokalemia")]
    [InlineData("TSH decreased", "Thyroid stimulating hormone increased")]
    [InlineData("血小板升高", "Platelet count decreased")]
    public void Suggest_NeverCrossesADirection(string verbatim, string opposite) =>
        Assert.DoesNotContain(Coder.Suggest(verbatim, 10), s => s.Term.Name == opposite);

    [Fact]
    public void Code_NeedsCoding_CarriesTheSuggestions()
    {
        var result = Coder.Code("Rash");

        Assert.False(result.IsCoded);
        Assert.Equal(Coder.Suggest("Rash"), result.Suggestions);
        Assert.Equal(CtcaeCoder.SuggestionCount, result.Suggestions.Count);
    }

    [Fact]
    public void Code_MedDraCodeTakesPrecedence()
    {
        var result = Coder.Code("whatever the site wrote", new MedDraCode(10035742));

        Assert.Equal(("Pneumonitis", CodingMethod.MedDraCode), (result.Term?.Name, result.Method));
    }

    [Fact]
    public void Code_EveryCtcaeTermCodesToItself() =>
        Assert.All(CtcaeDictionary.V5.Terms, t => Assert.Same(t, Coder.Code(t.Name).Term));

    [Fact]
    public void Code_RepairsMojibakeBeforeLookingUp()
    {
        // "Anémie" written as UTF-8 and read as Windows-1252 upstream.
        Assert.Equal("Anémie", Camrelizumab.Safety.Core.Text.TextRepair.Mojibake("AnÃ©mie"));
        Assert.Equal("≥ grade 3", Camrelizumab.Safety.Core.Text.TextRepair.Mojibake("â‰¥ grade 3"));
        Assert.Equal("贫血", Camrelizumab.Safety.Core.Text.TextRepair.Mojibake("贫血"));
    }

    [Theory]
    [InlineData("pneumonitis", "pneumonitis", 1.0)]
    [InlineData("pnuemonitis", "pneumonitis", 1 - (1 / 11.0))]
    [InlineData("abc", "xyz", 0.0)]
    public void Similarity_CountsATranspositionOnce(string a, string b, double expected) =>
        Assert.Equal(expected, CtcaeCoder.Similarity(a, b), 1e-12);
}
