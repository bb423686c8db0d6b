using Camrelizumab.Safety.Core.AdverseEvents;

namespace Camrelizumab.Safety.Core.Tests.Ingest;

public sealed class PartialDateTests
{
    [Theory]
    [InlineData("2024", "2024", "2024-01-01", "2024-12-31")]
    [InlineData("2024-02", "2024-02", "2024-02-01", "2024-02-29")]
    [InlineData("2024-03-15", "2024-03-15", "2024-03-15", "2024-03-15")]
    [InlineData("2024-03-15T10:30", "2024-03-15", "2024-03-15", "2024-03-15")]
    public void TryParse_KeepsPrecision_AndBoundsThePeriod(string text, string kept, string earliest, string latest)
    {
        Assert.True(PartialDate.TryParse(text, out var date));
        Assert.Equal(kept, date.ToString());
        Assert.Equal(DateOnly.Parse(earliest, System.Globalization.CultureInfo.InvariantCulture), date.Earliest);
        Assert.Equal(DateOnly.Parse(latest, System.Globalization.CultureInfo.InvariantCulture), date.Latest);
    }

    [Theory]
    [InlineData("2026-13-45")]
    [InlineData("2023-02-29")]
    [InlineData("24-03-15")]
    [InlineData("15/03/2024")]
    [InlineData("")]
    public void TryParse_RefusesInvalidDates(string text) => Assert.False(PartialDate.TryParse(text, out _));
}
