using System.Globalization;
using Camrelizumab.Safety.Core.Coding;
using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Core.Text;

namespace Camrelizumab.Safety.Core.Tests.Coding;

/// <summary>
/// The coder measured on 770 verbatims written the way sites write them, each with the term a coder would assign or
/// none where a human must decide (TestData/Coding.Sample.md). The sample was split into a tuning half and a held-back
/// half and committed before the rules were built; rules were built on the tuning half only. "As a coder would" is the
/// coder's term, or no code where a coder must decide; a wrong code is any code that differs, including a code where a
/// coder must decide.
/// </summary>
public sealed class CodingSampleTests
{
    /// <summary>Least share of rows coded as a coder would.</summary>
    private const double Agreement = 0.97;

    /// <summary>Most wrong codes per row: one in a hundred.</summary>
    private const double WrongCodes = 0.01;

    [Fact]
    public void Code_OnTheTuningHalf_AgreesWithACoderAndRarelyCodesWrongly() => AssertMeetsTargets("Tuning");

    [Fact]
    public void Code_OnTheHeldBackHalf_AgreesWithACoderAndRarelyCodesWrongly() => AssertMeetsTargets("HeldBack");

    /// <summary>
    /// The CDISC pilot SDTM AE (1,191 rows, 242 distinct verbatims, MedDRA wording of a dermal-patch trial) against a
    /// review of every distinct verbatim written before the rules: no automatic code may differ from the review.
    /// </summary>
    [Fact]
    public void Code_OnTheCdiscPilotAe_NeverDisagreesWithTheReview()
    {
        var review = Read("Camrelizumab.Safety.Core.Tests.TestData.Coding.CdiscPilot.Reviewed.csv").ToDictionary(r => r.Verbatim, r => r.Expected, StringComparer.Ordinal);
        var path = Path.Combine(AppContext.BaseDirectory, "TestData", "External", "CdiscPilotSdtm", "ae.csv");
        using var text = new StreamReader(path);
        var csv = new CsvReader(text, ',');
        csv.TryRead(out var header);
        var termAt = header.ToList().IndexOf("AETERM");
        int rows = 0, coded = 0, asReviewed = 0;
        var wrong = new SortedSet<string>(StringComparer.Ordinal);
        while (csv.TryRead(out var row))
        {
            rows++;
            var expected = review[row[termAt]];
            var result = CtcaeCoder.Default.Code(row[termAt]);
            coded += result.IsCoded ? 1 : 0;
            asReviewed += result.Term?.Name == expected ? 1 : 0;
            if (result.IsCoded && result.Term!.Name != expected)
            {
                wrong.Add($"{row[termAt]} → {result.Term.Name} ({CodingResult.MethodName(result.Method)}), review: {expected ?? "needs a coder"}");
            }
        }

        TestContext.Current.SendDiagnosticMessage(string.Create(CultureInfo.InvariantCulture, $"CDISC pilot AE: {rows} rows, {coded} coded automatically ({100.0 * coded / rows:0.0}%), {asReviewed} as reviewed ({100.0 * asReviewed / rows:0.0}%), {wrong.Count} distinct wrong codes."));
        Assert.Equal(1191, rows);
        Assert.True(wrong.Count == 0, "Wrong codes: " + string.Join("; ", wrong));
    }

    /// <summary>
    /// The CTCAE terms most reported in PD-1 inhibitor and oesophageal cancer safety tables, chemoradiotherapy and the
    /// CDISC pilot (TestData/Coding.FrequentTerms.csv, chosen for this project; the source column says why each is
    /// there): each has a lay, clinical, MedDRA or abbreviated English phrasing and a Chinese one that code to it.
    /// </summary>
    [Fact]
    public void Code_FrequentOncologyTerms_HaveEnglishAndChinesePhrasings()
    {
        var rows = ReadTable("Camrelizumab.Safety.Core.Tests.TestData.Coding.FrequentTerms.csv").ToList();
        var failures = new List<string>();
        var otherWording = 0;
        foreach (var row in rows)
        {
            var (term, english, chinese) = (row[0], row[2], row[3]);
            otherWording += TermKey.Of(english) != TermKey.Of(term) ? 1 : 0;
            foreach (var text in new[] { english, chinese })
            {
                if (CtcaeCoder.Default.Code(text).Term?.Name != term)
                {
                    failures.Add($"{text} → {CtcaeCoder.Default.Code(text).Term?.Name ?? "needs a coder"}, not {term}");
                }
            }
        }

        Assert.Empty(failures);
        Assert.Equal(rows.Count, rows.Select(r => r[0]).Distinct(StringComparer.Ordinal).Count());
        Assert.True(otherWording >= 150, $"{otherWording} terms with an English wording other than the term");
    }

    private static void AssertMeetsTargets(string half)
    {
        var rows = Read($"Camrelizumab.Safety.Core.Tests.TestData.Coding.Sample.{half}.csv").ToList();
        var wrong = new List<string>();
        var missed = new List<string>();
        foreach (var (verbatim, expected) in rows)
        {
            var result = CtcaeCoder.Default.Code(verbatim);
            if (result.Term?.Name == expected)
            {
                continue;
            }

            if (result.IsCoded)
            {
                wrong.Add($"{verbatim} → {result.Term!.Name} ({CodingResult.MethodName(result.Method)}), a coder: {expected ?? "needs a coder"}");
            }
            else
            {
                missed.Add($"{verbatim} (a coder: {expected})");
            }
        }

        var agreed = rows.Count - wrong.Count - missed.Count;
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"{half} half: {rows.Count} rows, {agreed} as a coder would ({100.0 * agreed / rows.Count:0.0}%), {wrong.Count} wrong, {missed.Count} left to a coder that had an answer. Wrong: {string.Join("; ", wrong)}. Left: {string.Join("; ", missed)}.");
        TestContext.Current.SendDiagnosticMessage(summary);
        Assert.Equal(385, rows.Count);
        Assert.True(agreed >= Agreement * rows.Count && wrong.Count <= WrongCodes * rows.Count, summary);
    }

    private static IEnumerable<(string Verbatim, string? Expected)> Read(string resource) =>
        ReadTable(resource).Select(row => (row[0], row[1].Length == 0 ? null : row[1]));

    private static IEnumerable<IReadOnlyList<string>> ReadTable(string resource)
    {
        using var stream = typeof(CodingSampleTests).Assembly.GetManifestResourceStream(resource)!;
        using var text = new StreamReader(stream);
        var csv = new CsvReader(text, ',');
        csv.TryRead(out _);
        while (csv.TryRead(out var row))
        {
            // The reader reuses its field list: keep a copy.
            yield return [.. row];
        }
    }
}
