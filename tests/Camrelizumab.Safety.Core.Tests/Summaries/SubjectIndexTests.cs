using Camrelizumab.Safety.Core.Summaries;

namespace Camrelizumab.Safety.Core.Tests.Summaries;

public sealed class SubjectIndexTests
{
    [Fact]
    public void TryFind_FindsEveryIdAtItsIndex_AndNothingElse()
    {
        // Structured ids as sites write them, a Chinese one, an empty-looking prefix of another, and a long one.
        string[] ids = [.. Enumerable.Range(0, 50_000).Select(i => $"BJ{i / 500:D2}-{i:D5}"), "受试者-001", "BJ00", new string('x', 70_000)];
        var index = new SubjectIndex(ids);

        for (var i = 0; i < ids.Length; i++)
        {
            Assert.True(index.TryFind(ids[i], out var found));
            Assert.Equal(i, found);
        }

        foreach (var other in new[] { "", "BJ00-0000", "BJ00-000000", "bj00-00000", "BJ00-00000 ", "受试者-002", new string('x', 69_999) })
        {
            Assert.False(index.TryFind(other, out _));
        }
    }

    [Fact]
    public void Constructor_SameIdTwice_Throws() =>
        Assert.Throws<ArgumentException>(() => new SubjectIndex(["A", "B", "A"]));
}
