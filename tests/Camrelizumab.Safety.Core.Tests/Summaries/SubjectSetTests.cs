using Camrelizumab.Safety.Core.Summaries;

namespace Camrelizumab.Safety.Core.Tests.Summaries;

public sealed class SubjectSetTests
{
    [Theory]
    // A few subjects of a small universe stay a hash set.
    [InlineData(2_000, 40, false)]
    // More than 64 of 2,000, or than 1/128 of 50,000, become a bitmap.
    [InlineData(2_000, 500, true)]
    [InlineData(50_000, 5_000, true)]
    // A universe of one subject.
    [InlineData(1, 1, false)]
    public void Add_CountsEachSubjectOnce_AsASetWouldWhateverItsForm(int universe, int adds, bool bitmap)
    {
        var random = new Random(universe + adds);
        var set = new SubjectSet(universe);
        var expected = new HashSet<int>();
        var distinct = Math.Min(adds, universe);
        var pool = Enumerable.Range(0, universe).OrderBy(_ => random.Next()).Take(distinct).ToArray();

        for (var i = 0; i < adds * 3; i++)
        {
            var subject = pool[random.Next(pool.Length)];
            set.Add(subject);
            expected.Add(subject);
        }

        Assert.Equal(expected.Count, set.Count);
        Assert.Equal(expected.Order(), set.Members().Order());
        Assert.Equal(bitmap, set.IsBitmap);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(100)]
    public void Add_OutsideTheUniverse_Throws(int subject) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SubjectSet(100).Add(subject));
}
