using System.Collections.Frozen;
using System.Text;
using System.Text.RegularExpressions;
using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Core.Text;

namespace Camrelizumab.Safety.Core.Coding;

/// <summary>
/// Codes verbatim AE text to CTCAE v5.0 by a ladder of rungs, each recorded: MedDRA code → exact term → CTCAE v4.03
/// term converted by NCI's mapping → curated synonym (English and Chinese) → British spelling → qualifier dropped →
/// fuzzy match. A fuzzy match codes only when
/// it is at least <see cref="Threshold"/> similar and clearly better than the runner-up; otherwise the row needs coding
/// and the closest terms are offered. A wrong code is worse than no code.
/// </summary>
/// <remarks>Results are cached per distinct text, so a million-row export costs one ladder per distinct verbatim.</remarks>
public sealed partial class CtcaeCoder
{
    /// <summary>Least similarity (1 − Damerau–Levenshtein distance / longer length) for a fuzzy code.</summary>
    public const double Threshold = 0.90;

    /// <summary>A fuzzy code also needs this margin over the second-best term.</summary>
    public const double Margin = 0.05;

    private const string SynonymResource = "Camrelizumab.Safety.Core.Coding.synonyms.csv";
    private static readonly Lazy<CtcaeCoder> Instance = new(() => new CtcaeCoder(CtcaeDictionary.V5));

    private readonly CtcaeDictionary _dictionary;
    private readonly FrozenDictionary<string, (CtcaeTerm Term, string Language, string? Note)> _synonyms;
    private readonly (string Key, CtcaeTerm Term)[] _fuzzyTargets;
    private readonly Dictionary<string, CodingResult> _cache = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    private CtcaeCoder(CtcaeDictionary dictionary)
    {
        _dictionary = dictionary;
        _synonyms = LoadSynonyms(dictionary);
        _fuzzyTargets = [.. dictionary.Terms.Select(t => (TermKey.Of(t.Name), t))
            .Concat(_synonyms.Where(s => s.Value.Language.StartsWith("en", StringComparison.Ordinal)).Select(s => (s.Key, s.Value.Term)))];
    }

    /// <summary>The coder over the embedded dictionary and synonym table.</summary>
    public static CtcaeCoder Default => Instance.Value;

    /// <summary>How many curated synonyms the table holds.</summary>
    public int SynonymCount => _synonyms.Count;

    /// <summary>Codes a verbatim text, with an optional MedDRA code that takes precedence when it names a CTCAE term.</summary>
    /// <param name="grade">The row's grade, needed only for CTCAE v4.03 terms that v5.0 split by grade.</param>
    public CodingResult Code(string verbatim, MedDraCode? code = null, CtcaeGrade? grade = null)
    {
        ArgumentNullException.ThrowIfNull(verbatim);
        if (code is { } c && _dictionary.Find(c) is { } byCode)
        {
            return new CodingResult(verbatim, byCode, CodingMethod.MedDraCode, 1, null, []);
        }

        var key = grade is { } g ? $"{verbatim}\u001f{g.Value}" : verbatim;
        lock (_gate)
        {
            if (!_cache.TryGetValue(key, out var result))
            {
                result = Ladder(verbatim, grade);
                _cache[key] = result;
            }

            return result;
        }
    }

    private CodingResult Ladder(string verbatim, CtcaeGrade? grade)
    {
        var text = TextRepair.Mojibake(verbatim.Normalize(NormalizationForm.FormKC)).Trim();
        if (_dictionary.Find(text) is { } exact)
        {
            return Coded(exact, CodingMethod.ExactTerm, null);
        }

        if (CtcaeV4Mapping.Default.TryConvert(text, grade, out var converted, out var v4Note))
        {
            return Coded(converted!, CodingMethod.V4Mapping, v4Note);
        }

        // Kept for the needs-coding note when a v4.03 term was split by grade and no grade came with it.
        var splitNote = v4Note;

        var termKey = TermKey.Of(text);
        if (_synonyms.TryGetValue(termKey, out var synonym) || _synonyms.TryGetValue(text, out synonym))
        {
            return Coded(synonym.Term, CodingMethod.Synonym, synonym.Note);
        }

        var american = American(termKey);
        if (american != termKey && Find(american) is { } spelled)
        {
            return Coded(spelled.Term, spelled.ViaSynonym ? CodingMethod.Synonym : CodingMethod.Spelling, "British spelling");
        }

        var unqualified = Qualifier().Replace(american, " ").Trim();
        unqualified = Whitespace().Replace(unqualified, " ");
        if (unqualified.Length > 0 && unqualified != american && Find(unqualified) is { } bare)
        {
            return Coded(bare.Term, CodingMethod.QualifierDropped, "radiation- or immune-related qualifier dropped; CTCAE has no separate term");
        }

        // A fuzzy match never crosses a direction: "neutrophil count increased" is not "…decreased" at 0.92.
        var ranked = _fuzzyTargets
            .Where(t => Direction(t.Key) == Direction(american))
            .Select(t => (t.Term, Similarity: Similarity(american, t.Key)))
            .GroupBy(t => t.Term)
            .Select(g => (Term: g.Key, Similarity: g.Max(x => x.Similarity)))
            .OrderByDescending(t => t.Similarity)
            .Take(3)
            .ToList();
        if (ranked.Count > 0 && ranked[0].Similarity >= Threshold && (ranked.Count == 1 || ranked[0].Similarity - ranked[1].Similarity >= Margin))
        {
            return new CodingResult(verbatim, ranked[0].Term, CodingMethod.Fuzzy, ranked[0].Similarity, $"closest term, similarity {ranked[0].Similarity:0.00}", []);
        }

        return new CodingResult(verbatim, null, CodingMethod.NeedsCoding, 0, splitNote ?? "no rung of the coding ladder applies", ranked);

        CodingResult Coded(CtcaeTerm term, CodingMethod method, string? note) => new(verbatim, term, method, 1, note, []);
    }

    private (CtcaeTerm Term, bool ViaSynonym)? Find(string key)
    {
        if (_dictionary.Find(key) is { } term)
        {
            return (term, false);
        }

        return _synonyms.TryGetValue(key, out var synonym) ? (synonym.Term, true) : null;
    }

    /// <summary>The direction words of a text (increase/decrease, hyper/hypo, high/low), so fuzzy matching keeps them.</summary>
    private static string Direction(string key)
    {
        var words = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var word in key.Split(' '))
        {
            var direction = word switch
            {
                "increased" or "increase" or "elevated" or "raised" or "high" or "higher" => "up",
                "decreased" or "decrease" or "reduced" or "low" or "lower" => "down",
                _ when word.StartsWith("hyper", StringComparison.Ordinal) => "up",
                _ when word.StartsWith("hypo", StringComparison.Ordinal) => "down",
                _ => null,
            };
            if (direction is not null)
            {
                words.Add(direction);
            }
        }

        return string.Join(',', words);
    }

    /// <summary>British → American spelling for the patterns CTCAE terms contain.</summary>
    private static string American(string key) =>
        key.Replace("oesophag", "esophag", StringComparison.Ordinal)
            .Replace("oedema", "edema", StringComparison.Ordinal)
            .Replace("diarrhoea", "diarrhea", StringComparison.Ordinal)
            .Replace("haem", "hem", StringComparison.Ordinal)
            .Replace("aemia", "emia", StringComparison.Ordinal)
            .Replace("paenia", "penia", StringComparison.Ordinal)
            .Replace("tumour", "tumor", StringComparison.Ordinal)
            .Replace("leucocyt", "leukocyt", StringComparison.Ordinal)
            .Replace("faecal", "fecal", StringComparison.Ordinal)
            .Replace("coeliac", "celiac", StringComparison.Ordinal)
            .Replace("rrhoea", "rrhea", StringComparison.Ordinal)
            .Replace("pnoea", "pnea", StringComparison.Ordinal)
            .Replace("aesthe", "esthe", StringComparison.Ordinal)
            .Replace("ischaem", "ischem", StringComparison.Ordinal)
            .Replace("oestr", "estr", StringComparison.Ordinal);

    /// <summary>1 − optimal-string-alignment distance / longer length: transpositions count once.</summary>
    internal static double Similarity(string a, string b)
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

    private static FrozenDictionary<string, (CtcaeTerm, string, string?)> LoadSynonyms(CtcaeDictionary dictionary)
    {
        using var stream = Configuration.EmbeddedConfiguration.Open(SynonymResource);
        using var text = new StreamReader(stream);
        var csv = new CsvReader(text, ',');
        csv.TryRead(out _);
        var synonyms = new Dictionary<string, (CtcaeTerm, string, string?)>(StringComparer.Ordinal);
        while (csv.TryRead(out var row))
        {
            var term = dictionary.Find(row[1]) ?? throw new InvalidOperationException($"Synonym table line {csv.RecordLine}: '{row[1]}' is not a CTCAE v5.0 term.");
            var language = row[2];
            var key = language.StartsWith("zh", StringComparison.Ordinal) ? row[0].Trim() : TermKey.Of(row[0]);
            synonyms[key] = (term, language, string.IsNullOrWhiteSpace(row[3]) ? null : row[3]);
        }

        return synonyms.ToFrozenDictionary(StringComparer.Ordinal);
    }

    [GeneratedRegex(@"\b(radiation|radiotherapy|radio|induced|immune|related|mediated|irae|ir|treatment|drug|associated|acute|chronic)\b")]
    private static partial Regex Qualifier();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
