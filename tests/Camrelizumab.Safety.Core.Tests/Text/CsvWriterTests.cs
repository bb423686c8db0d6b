using Camrelizumab.Safety.Core.Text;

namespace Camrelizumab.Safety.Core.Tests.Text;

public sealed class CsvWriterTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"")]
    [InlineData("+1", "'+1")]
    [InlineData("-2", "'-2")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("line\nbreak", "\"line\nbreak\"")]
    [InlineData(null, "")]
    public void Escape_NeutralizesFormulasAndQuotesWhenNeeded(string? value, string expected) =>
        Assert.Equal(expected, CsvWriter.Escape(value));
}
