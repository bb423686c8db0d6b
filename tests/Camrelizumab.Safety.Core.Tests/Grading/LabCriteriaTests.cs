using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Core.Grading;

namespace Camrelizumab.Safety.Core.Tests.Grading;

public sealed class LabCriteriaTests
{
    public static TheoryData<LabUnitSystem> Systems => [LabUnitSystem.SI, LabUnitSystem.UsConventional];

    [Theory]
    [MemberData(nameof(Systems))]
    public void EveryCriterion_CodesToACtcaeTerm_AndOnlyProducesGradesTheTermDefines(LabUnitSystem system)
    {
        var criteria = LabCriteria.For(system);
        Assert.Equal(40, criteria.Count);
        foreach (var criterion in criteria)
        {
            var term = CtcaeDictionary.V5.Find(criterion.CtcaeTerm);
            Assert.True(term is not null, $"{criterion.Term}: {criterion.CtcaeTerm} is not a CTCAE v5.0 term");

            // Sweep results from far below to far above the limits: every grade above 0 the criterion gives must be one
            // the CTCAE term defines (Leukocytosis has only 3 and 4; Hypermagnesemia has no grade 2).
            var unit = criterion.Units.FirstOrDefault();
            foreach (var value in Enumerable.Range(0, 4001).Select(i => i * 0.25m))
            {
                var grade = criterion.Grade(new() { Value = value, Unit = unit, LowerLimit = 100, UpperLimit = 100, Baseline = 100, BaselineRange = "NORMAL", PercentChange = -10 });
                Assert.True(grade.IsGraded, $"{criterion.Term} {value}: {grade}");
                if (grade.Grade > 0)
                {
                    Assert.True(term.Defines(new CtcaeGrade(grade.Grade!.Value)), $"{criterion.Term} gives grade {grade.Grade}, which {term.Name} does not define");
                }
            }
        }
    }

    [Theory]
    // ALT increased, baseline normal: ">5.0 - 20.0 x ULN" is grade 3; exactly 5.0 x ULN is still grade 2.
    [InlineData("Alanine aminotransferase increased", 201, null, 40, "NORMAL", 3)]
    [InlineData("Alanine aminotransferase increased", 200, null, 40, "NORMAL", 2)]
    // ALT increased, baseline abnormal: "1.5 - 3.0 x baseline" is grade 1, whatever the ULN.
    [InlineData("Alanine aminotransferase increased", 90, 60, 40, "HIGH", 1)]
    [InlineData("Alanine aminotransferase increased", 89, 60, 40, "HIGH", 0)]
    // Without BNRIND, a baseline above the ULN is abnormal.
    [InlineData("Aspartate aminotransferase increased", 90, 60, 40, null, 1)]
    // Blood bilirubin increased, baseline abnormal: ">1.0 - 1.5 x baseline" is grade 1.
    [InlineData("Blood bilirubin increased", 31, 30, 20, "HIGH", 1)]
    // Creatinine increased: ">3.0 x baseline" is grade 3 even when the ULN reading is grade 1.
    [InlineData("Creatinine increased", 100, 30, 90, null, 3)]
    public void Grade_AppliesBaselineDependentCriteria(string term, int value, int? baseline, int uln, string? baselineRange, int expected)
    {
        var grade = LabCriteria.Grade(term, LabDirection.High, new() { Value = value, Baseline = baseline, UpperLimit = uln, BaselineRange = baselineRange }, LabUnitSystem.SI);

        Assert.Equal(expected, grade.Grade);
    }

    [Fact]
    public void Grade_DecidesWithoutTheLimit_WhenTheValueAloneIsEnough()
    {
        // Neutrophil count decreased "<0.5 x 10^9/L" is grade 4 whatever the LLN; 1.6 needs the LLN to tell 1 from 0.
        var criterion = LabCriteria.Find("neutrophil count decreased", LabDirection.Low, LabUnitSystem.SI)!;

        Assert.Equal(4, criterion.Grade(new() { Value = 0.4m, Unit = "10^9/L" }).Grade);
        Assert.Equal("lower limit of normal (ANRLO)", criterion.Grade(new() { Value = 1.6m, Unit = "10^9/L" }).NotGradable);
        Assert.Equal(1, criterion.Grade(new() { Value = 1.6m, Unit = "10^9/l", LowerLimit = 2.0m }).Grade);
    }

    [Fact]
    public void Grade_RefusesAUnitTheCriterionDoesNotUse_AndConvertsTheLegacyCountUnit()
    {
        var si = LabCriteria.Find("Anemia", LabDirection.Low, LabUnitSystem.SI)!;
        var us = LabCriteria.Find("Platelet count decreased", LabDirection.Low, LabUnitSystem.UsConventional)!;

        Assert.Equal("unit 'g/dL' is not g/L", si.Grade(new() { Value = 7.9m, Unit = "g/dL", LowerLimit = 12 }).NotGradable);
        Assert.Equal("unit (AVALU); the criterion needs g/L", si.Grade(new() { Value = 79, LowerLimit = 120 }).NotGradable);

        // 24,000 x 10^3/mL is 24 x 10^3/uL: grade 4 ("<25,000/mm3").
        Assert.Equal(4, us.Grade(new() { Value = 24000, Unit = "10^3/mL" }).Grade);
    }

    [Fact]
    public void Grade_IsNotGradable_ForATermWithoutLabCriterion()
    {
        var grade = LabCriteria.Grade("Fatigue", LabDirection.High, new() { Value = 1 }, LabUnitSystem.SI);

        Assert.False(grade.IsGraded);
        Assert.Equal("no CTCAE v5.0 lab criterion for 'Fatigue' (high)", grade.NotGradable);
    }
}
