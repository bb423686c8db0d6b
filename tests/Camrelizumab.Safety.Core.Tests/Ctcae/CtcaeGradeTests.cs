using Camrelizumab.Safety.Core.Ctcae;

namespace Camrelizumab.Safety.Core.Tests.Ctcae;

public sealed class CtcaeGradeTests
{
    [Theory]
    [InlineData("3", 3)]
    [InlineData(" 3 ", 3)]
    [InlineData("3.0", 3)]
    [InlineData("Grade 4", 4)]
    [InlineData("G5", 5)]
    [InlineData("grade1", 1)]
    public void TryParse_AcceptsCommonSpellings(string text, int expected)
    {
        Assert.True(CtcaeGrade.TryParse(text, out var grade));
        Assert.Equal(expected, grade.Value);
    }

    [Theory]
    [InlineData("0")] // not an AE grade in CTCAE
    [InlineData("6")]
    [InlineData("3.5")]
    [InlineData("severe")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParse_RefusesOutOfRange(string? text) => Assert.False(CtcaeGrade.TryParse(text, out _));
}
