using Camrelizumab.Safety.Core.Coding;
using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Core.Text;

namespace Camrelizumab.Safety.Core.Tests.Coding;

/// <summary>
/// The coder runs its ladder once per verbatim, and once per verbatim and grade only for CTCAE v4.03 terms whose v5.0
/// target depends on the grade: the cached coding must be the ladder's at every grade, whichever grade comes first.
/// </summary>
public sealed class CtcaeCoderCacheTests
{
    /// <summary>The assembled verbatim list (TestData/Coding.VerbatimList.csv), and v4.03 terms NCI maps by grade or not.</summary>
    public static TheoryData<string> Verbatims()
    {
        using var stream = typeof(CtcaeCoderCacheTests).Assembly.GetManifestResourceStream("Camrelizumab.Safety.Core.Tests.TestData.Coding.VerbatimList.csv")!;
        using var text = new StreamReader(stream);
        var csv = new CsvReader(text, ',');
        csv.TryRead(out _);
        var verbatims = new TheoryData<string>
        {
            // CTCAE v4.03 "Acute coronary syndrome": Chest pain - cardiac at grade 2, Myocardial infarction at grade 4.
            "Acute coronary syndrome",
            // v4.03 terms v5.0 renamed or removed: one target at every grade.
            "External ear inflammation",
            "Spleen disorder",
        };
        while (csv.TryRead(out var row))
        {
            verbatims.Add(row[0]);
        }

        return verbatims;
    }

    [Theory]
    [MemberData(nameof(Verbatims))]
    public void Code_Cached_IsTheLaddersCodingAtEveryGrade(string verbatim)
    {
        // Arrange: grades in both orders, without a grade first and last, each on a coder with an empty cache.
        CtcaeGrade?[] upward = [null, new CtcaeGrade(2), new CtcaeGrade(4), null];
        CtcaeGrade?[] downward = [new CtcaeGrade(4), new CtcaeGrade(2), null, new CtcaeGrade(4)];

        foreach (var grades in new[] { upward, downward })
        {
            var coder = new CtcaeCoder(CtcaeDictionary.V5);
            foreach (var grade in grades)
            {
                // Act
                var cached = coder.Code(verbatim, null, grade);
                var ladder = coder.Ladder(verbatim, grade);

                // Assert
                Assert.Equal(Describe(ladder), Describe(cached));
            }
        }
    }

    [Fact]
    public void Code_SplitV403Term_IsCodedPerGradeAfterACallWithoutGrade()
    {
        var coder = new CtcaeCoder(CtcaeDictionary.V5);

        var none = coder.Code("Acute coronary syndrome");
        var low = coder.Code("Acute coronary syndrome", null, new CtcaeGrade(2));
        var high = coder.Code("Acute coronary syndrome", null, new CtcaeGrade(4));

        Assert.Equal((null, "Chest pain - cardiac", "Myocardial infarction"), (none.Term?.Name, low.Term?.Name, high.Term?.Name));
    }

    [Fact]
    public void Similarity_EqualsTheFullTable_OnRandomText()
    {
        var random = new Random(20261129);
        for (var n = 0; n < 2_000; n++)
        {
            var a = RandomText(random);
            var b = random.Next(3) == 0 ? Typo(a, random) : RandomText(random);

            Assert.Equal(FullTable(a, b), CtcaeCoder.Similarity(a, b));
        }
    }

    private static string Describe(CodingResult r) =>
        $"{r.Verbatim}|{r.Term?.Name}|{r.Method}|{r.Confidence:R}|{r.Note}|{string.Join(";", r.Suggestions.Select(s => $"{s.Term.Name}={s.Similarity:R}"))}";

    private static string RandomText(Random random) =>
        new([.. Enumerable.Range(0, random.Next(0, 40)).Select(_ => "abcde fgh"[random.Next(9)])]);

    /// <summary>The text with two neighbouring characters swapped, one dropped and one doubled, where it is long enough.</summary>
    private static string Typo(string text, Random random)
    {
        if (text.Length < 4)
        {
            return text + "x";
        }

        var chars = text.ToList();
        var at = random.Next(chars.Count - 1);
        (chars[at], chars[at + 1]) = (chars[at + 1], chars[at]);
        chars.RemoveAt(random.Next(chars.Count));
        var again = random.Next(chars.Count);
        chars.Insert(again, chars[again]);
        return new string([.. chars]);
    }

    /// <summary>The optimal-string-alignment similarity over the whole (|a| + 1) × (|b| + 1) table, as first written.</summary>
    private static double FullTable(string a, string b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return 0;
        }

        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return 1 - ((double)d[a.Length, b.Length] / Math.Max(a.Length, b.Length));
    }
}
