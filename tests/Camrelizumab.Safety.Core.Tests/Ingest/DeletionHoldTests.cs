using Camrelizumab.Safety.Core.Ingest;

namespace Camrelizumab.Safety.Core.Tests.Ingest;

public sealed class DeletionHoldTests
{
    [Theory]
    [InlineData(0, 0, false)]
    [InlineData(0, 500, false)]
    [InlineData(10, 10, false)] // a whole small source: 10 or fewer are always applied
    [InlineData(11, 11, true)]
    [InlineData(11, 22, false)] // exactly half is not more than half
    [InlineData(11, 21, true)]
    [InlineData(250, 500, false)]
    [InlineData(251, 500, true)]
    [InlineData(499, 500, true)] // a truncated export: nearly everything missing
    public void Holds_MoreThanTenAndMoreThanHalf(int missing, int live, bool held) =>
        Assert.Equal(held, DeletionHold.Holds(missing, live));

    [Fact]
    public void Holds_MoreMissingThanLive_IsABug()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DeletionHold.Holds(3, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => DeletionHold.Holds(-1, 2));
    }
}
