using Camrelizumab.Safety.Runner.Commands;

namespace Camrelizumab.Safety.Runner.Tests.Commands;

/// <summary>The summary line of <c>safety bench pipeline --repeat N</c>: median, then range.</summary>
public sealed class BenchPipelineSpreadTests
{
    public static TheoryData<double[], string, string> Cases => new()
    {
        { [1.27], "0.00", "1.27 (1.27-1.27)" },
        { [1.34, 1.27, 1.28], "0.00", "1.28 (1.27-1.34)" },
        { [1.30, 1.24, 1.32, 1.27], "0.00", "1.29 (1.24-1.32)" },
        { [17.4, 22.0, 16.6, 16.4, 18.4], "0.0", "17.4 (16.4-22.0)" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Spread_IsTheMedianThenTheRange(double[] values, string format, string expected) =>
        Assert.Equal(expected, BenchPipelineCommand.Spread(values, format));
}
