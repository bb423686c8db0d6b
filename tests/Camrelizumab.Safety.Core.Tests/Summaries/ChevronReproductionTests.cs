using Camrelizumab.Safety.Core.Summaries;

namespace Camrelizumab.Safety.Core.Tests.Summaries;

/// <summary>
/// chevron's AET01 (overview) and AET04 (subjects by highest CTCAE grade) snapshots on its synthetic ADaM
/// (TestData/External/Chevron, expected-snapshot-aet01.md and -aet04.md): arm = ADSL ACTARM, grade = AETOXGR.
/// </summary>
public sealed class ChevronReproductionTests
{
    [Fact]
    public void Summarize_MatchesAet01AndAet04()
    {
        using var adsl = External.Open("Chevron/syn_data-adsl.csv");
        using var adae = External.Open("Chevron/syn_data-adae.csv");

        var summary = new ExportSummarizer().Summarize(adsl, "adsl", adae, "adae", "ACTARM", null, SummaryTerms.Export);

        string Row(string arm)
        {
            var a = summary.Arms[arm];
            var g = a.SubjectsByWorstGrade;
            return $"N={a.Subjects} any={a.SubjectsWithAnyEvent} events={a.Events} worst={g["1"]},{g["2"]},{g["3"]},{g["4"]},{g["5"]} serious={a.SubjectsWithSerious} related={a.SubjectsWithRelated} fatal={a.SubjectsWithFatal}";
        }

        // aet01: patients with any AE, total AEs, "AE with fatal outcome", "Serious AE", "Related AE" (the "some NA values"
        // snapshot, which has them); aet04: "- Any Grade -" and grades 1 to 5 under "- Any adverse events -".
        Assert.Equal("N=15 any=13 events=58 worst=0,1,1,3,8 serious=12 related=11 fatal=8", Row("A: Drug X"));
        Assert.Equal("N=15 any=14 events=59 worst=1,1,2,2,8 serious=12 related=10 fatal=8", Row("B: Placebo"));
        Assert.Equal("N=15 any=15 events=99 worst=1,1,1,2,10 serious=11 related=13 fatal=10", Row("C: Combination"));
        Assert.Equal(0, summary.Rejected);
    }
}
