using System.Text;
using Camrelizumab.Safety.Core.Stopping;

namespace Camrelizumab.Safety.Core.Tests.Configuration;

public sealed class SafetyRulesTests
{
    [Fact]
    public void LoadDefaults_HasEightRulesForTwoArms_MarkedForConfirmation()
    {
        var rules = SafetyRules.LoadDefaults();

        Assert.Equal(["CAM", "CAMRT"], rules.Arms.Select(a => a.Code));
        Assert.Equal(8, rules.Rules.Count);
        Assert.Contains("to be confirmed by the trial statistician", rules.Status, StringComparison.Ordinal);
        Assert.Equal(64, rules.ContentSha256.Length);
    }

    [Fact]
    public void Load_InvalidRules_ListsEveryErrorByRuleAndField()
    {
        const string json = """
            {
              "version": "x", "status": "test", "study": "S",
              "arms": [ { "code": "CAM", "label": "Camrelizumab" } ],
              "rules": [
                { "id": "r1", "title": "t", "arm": "CAMRT", "method": "pocock", "p0": 1.2, "alpha": 0.1, "maxPatients": 60,
                  "recipients": [ "dsmb" ], "event": { "minGrade": 3, "windowDays": 84, "terms": [ "Pnuemonitis" ] } },
                { "id": "r2", "title": "t", "arm": "CAM", "method": "wald", "p0": 0.2, "beta": 1.5, "alpha": 0.1, "maxPatients": 60,
                  "recipients": [], "event": { "minGrade": 7, "windowDays": 0, "socs": [ "Lungs" ] } }
              ]
            }
            """;

        var ex = Assert.Throws<InvalidDataException>(() => SafetyRules.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)), "rules.json"));

        Assert.Contains("rules[r1].arm: 'CAMRT' is not one of the arms (CAM).", ex.Message, StringComparison.Ordinal);
        Assert.Contains("rules[r1].p0: 1.2 must lie strictly between 0 and 1.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("rules[r1].event.terms: 'Pnuemonitis' is not a CTCAE v5.0 term as NCI spells it.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("rules[r2].p1: is required for the wald family.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("rules[r2].beta: 1.5 must lie strictly between 0 and 1.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("rules[r2].recipients: at least one recipient role is required.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("rules[r2].event.minGrade: 7 is not a CTCAE grade (1-5).", ex.Message, StringComparison.Ordinal);
        Assert.Contains("rules[r2].event.windowDays: 0 must be at least 1.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("rules[r2].event.socs: 'Lungs' is not a CTCAE v5.0 system organ class.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownMethod_NamesTheLineFieldAndFamilies()
    {
        const string json = """
            { "version": "x", "status": "s", "study": "S", "arms": [ { "code": "CAM", "label": "C" } ],
              "rules": [ { "id": "r1", "title": "t", "arm": "CAM", "method": "magic", "p0": 0.2, "alpha": 0.1, "maxPatients": 60,
                           "recipients": [ "dsmb" ], "event": { "minGrade": 3, "windowDays": 84 } } ] }
            """;

        var ex = Assert.Throws<InvalidDataException>(() => SafetyRules.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)), "rules.json"));

        Assert.Equal("rules.json: line 2, at $.rules[0].method: the method should be one of pocock, obf, wt, bb, cc, sprt, maxsprt, wald, bayes, bop2.", ex.Message);
    }

    [Fact]
    public void Load_WaldBeta_ReachesTheDesign()
    {
        const string json = """
            { "version": "x", "status": "s", "study": "S", "arms": [ { "code": "CAM", "label": "C" } ],
              "rules": [ { "id": "r1", "title": "t", "arm": "CAM", "method": "wald", "p0": 0.2, "p1": 0.4, "beta": 0.1, "alpha": 0.05, "maxPatients": 50,
                           "recipients": [ "dsmb" ], "event": { "minGrade": 3, "windowDays": 84 } } ] }
            """;

        var rule = SafetyRules.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)), "rules.json").Rules[0];

        Assert.Equal(BoundaryMethod.WaldSprt, rule.Method);
        Assert.Equal(0.1, rule.Design().Beta);
        Assert.Contains("β = 0.1", BoundaryCalculator.Compute(rule.Design()).ConstantDescription, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownField_IsAnErrorNotIgnored()
    {
        const string json = """{ "version": "x", "status": "s", "study": "S", "arms": [], "rules": [], "alhpa": 0.1 }""";

        var ex = Assert.Throws<InvalidDataException>(() => SafetyRules.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)), "rules.json"));

        Assert.Contains("alhpa", ex.Message, StringComparison.Ordinal);
    }
}
