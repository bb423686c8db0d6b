using Camrelizumab.Safety.Core.Summaries;

namespace Camrelizumab.Safety.Core.Tests.Summaries;

/// <summary>
/// chevron's AET01 (overview) and AET04 (subjects by highest CTCAE grade) snapshots on its synthetic ADaM
/// (TestData/External/Chevron, expected-snapshot-aet01.md and -aet04.md): arm = ADSL ACTARM, grade = AETOXGR.
/// </summary>
public sealed class ChevronReproductionTests
{
    [Fact]
    public void Summarize_MatchesEveryAet01RowAndAet04()
    {
        using var adsl = External.Open("Chevron/syn_data-adsl.csv");
        using var adae = External.Open("Chevron/syn_data-adae.csv");

        var summary = new ExportSummarizer().Summarize(adsl, "adsl", adae, "adae", "ACTARM", null, SummaryTerms.Export);

        string Aet04(string arm)
        {
            var a = summary.Arms[arm];
            var g = a.SubjectsByWorstGrade;
            return $"N={a.Subjects} any={a.SubjectsWithAnyEvent} worst={g["1"]},{g["2"]},{g["3"]},{g["4"]},{g["5"]} 1-2={g["1"] + g["2"]} 3-4={g["3"] + g["4"]} 3-5={a.SubjectsWithGrade3OrWorse}";
        }

        // aet01, in its row order: patients with any AE; total AEs; deaths; withdrawn from study due to an AE; AE with
        // fatal outcome; serious AE; serious AE leading to withdrawal; serious AE leading to dose modification; related
        // serious AE; AE leading to withdrawal; AE leading to dose modification; related AE; related AE leading to
        // withdrawal; related AE leading to dose modification; severe AE (at greatest intensity).
        string Aet01(string arm)
        {
            var a = summary.Arms[arm];
            return string.Join(" ", a.SubjectsWithAnyEvent, a.Events, a.SubjectsDied, a.SubjectsWithdrawnFromStudyForAe, a.SubjectsWithFatal,
                a.SubjectsWithSerious, a.SubjectsWithSeriousLeadingToWithdrawal, a.SubjectsWithSeriousLeadingToDoseModification, a.SubjectsWithRelatedSerious,
                a.SubjectsWithAeLeadingToWithdrawal, a.SubjectsWithAeLeadingToDoseModification, a.SubjectsWithRelated,
                a.SubjectsWithRelatedLeadingToWithdrawal, a.SubjectsWithRelatedLeadingToDoseModification, a.SubjectsWithSevere);
        }

        Assert.Equal("13 58 2 0 8 12 0 4 8 2 6 11 0 1 11", Aet01("A: Drug X"));
        Assert.Equal("14 59 4 0 8 12 0 3 8 3 9 10 3 4 10", Aet01("B: Placebo"));
        Assert.Equal("15 99 3 1 10 11 2 4 10 3 11 13 0 9 12", Aet01("C: Combination"));

        // aet04 "- Any adverse events -": any grade; grade 1-2 (1, 2); grade 3-4 (3, 4); grade 5; and the 3-5 variant.
        Assert.Equal("N=15 any=13 worst=0,1,1,3,8 1-2=1 3-4=4 3-5=12", Aet04("A: Drug X"));
        Assert.Equal("N=15 any=14 worst=1,1,2,2,8 1-2=2 3-4=4 3-5=12", Aet04("B: Placebo"));
        Assert.Equal("N=15 any=15 worst=1,1,1,2,10 1-2=2 3-4=3 3-5=13", Aet04("C: Combination"));
        Assert.Equal(0, summary.Rejected);
    }
}
