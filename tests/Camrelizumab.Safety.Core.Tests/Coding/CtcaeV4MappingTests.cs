using Camrelizumab.Safety.Core.Coding;
using Camrelizumab.Safety.Core.Ctcae;

namespace Camrelizumab.Safety.Core.Tests.Coding;

public sealed class CtcaeV4MappingTests
{
    [Fact]
    public void Default_KnowsTheV403TermsV5DroppedOrRenamed() =>
        Assert.Equal(13, CtcaeV4Mapping.Default.RemovedTermCount);

    [Theory]
    // NCI mapping: renamed terms.
    [InlineData("External ear inflammation", 2, "Otitis externa")]
    [InlineData("IVth nerve disorder", 1, "Trochlear nerve disorder")]
    // Removed terms go to the SOC's "Other, specify" with the old term as the specified text.
    [InlineData("Spleen disorder", 2, "Blood and lymphatic system disorders - Other, specify")]
    public void Code_ConvertsV403Terms(string v4Term, int grade, string v5Term)
    {
        var result = CtcaeCoder.Default.Code(v4Term, null, new CtcaeGrade(grade));

        Assert.Equal((v5Term, CodingMethod.V4Mapping), (result.Term?.Name, result.Method));
        Assert.Contains("v4.03", result.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Code_SplitTermWithoutGrade_NeedsCodingAndSaysWhy()
    {
        var result = CtcaeCoder.Default.Code("Acute coronary syndrome");

        Assert.False(result.IsCoded);
        Assert.Contains("split in v5.0 by grade", result.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Code_SplitTermWithGrade_FollowsNcisMappingForThatGrade()
    {
        var low = CtcaeCoder.Default.Code("Acute coronary syndrome", null, new CtcaeGrade(2));
        var high = CtcaeCoder.Default.Code("Acute coronary syndrome", null, new CtcaeGrade(4));

        Assert.True(low.IsCoded && high.IsCoded);
        Assert.NotEqual(low.Term, high.Term);
    }
}
