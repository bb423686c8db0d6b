using System.Globalization;
using System.Collections.Frozen;
using System.Text;
using System.Text.RegularExpressions;
using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Core.Text;

namespace Camrelizumab.Safety.Core.Coding;

/// <summary>
/// Codes verbatim AE text to CTCAE v5.0 by a ladder of rungs, each recorded: MedDRA code → exact term → CTCAE v4.03
/// term converted by NCI's mapping → curated synonym (English and Chinese) → British spelling → word form (word order,
/// plurals, MedDRA "Blood …" prefixes, grade, severity and laterality words) → analyte and direction ("low platelets",
/// "血钾降低") → pain or swelling at a body site → cause, course or histology qualifier dropped → fuzzy match. Every
/// rung but the last is deterministic and reviewed data; a fuzzy match codes only when it is at least
/// <see cref="Threshold"/> similar and clearly better than the runner-up. Otherwise the row needs a coder and
/// <see cref="Suggest"/> offers the closest terms by meaning. A wrong code is worse than no code.
/// </summary>
/// <remarks>Results are cached per distinct text, so a million-row export costs one ladder per distinct verbatim.</remarks>
public sealed partial class CtcaeCoder
{
    /// <summary>Least similarity (1 − Damerau–Levenshtein distance / longer length) for a fuzzy code.</summary>
    public const double Threshold = 0.90;

    /// <summary>A fuzzy code also needs this margin over the second-best term.</summary>
    public const double Margin = 0.05;

    /// <summary>How many suggestions a row that needs coding carries.</summary>
    public const int SuggestionCount = 5;

    private const string InfectionsSoc = "Infections and infestations";
    private const string SynonymResource = "Camrelizumab.Safety.Core.Coding.synonyms.csv";
    private static readonly Lazy<CtcaeCoder> Instance = new(() => new CtcaeCoder(CtcaeDictionary.V5));

    private readonly CtcaeDictionary _dictionary;
    private readonly FrozenDictionary<string, (CtcaeTerm Term, string Language, string? Note)> _synonyms;
    private readonly FrozenDictionary<string, CtcaeTerm> _bags;
    private readonly (string Key, CtcaeTerm Term, Direction? Direction)[] _fuzzyTargets;
    private readonly TermSuggester _suggester;
    // Keyed by the verbatim, or by the verbatim and grade for a text whose coding depends on the grade (_byGrade).
    private readonly Dictionary<string, CodingResult> _cache = new(StringComparer.Ordinal);
    private readonly HashSet<string> _byGrade = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    internal CtcaeCoder(CtcaeDictionary dictionary)
    {
        _dictionary = dictionary;
        _synonyms = LoadSynonyms(dictionary);
        var english = dictionary.Terms.Select(t => (Key: TermKey.Of(t.Name), Term: t))
            .Concat(_synonyms.Where(s => !VerbatimKey.IsHan(s.Key)).Select(s => (s.Key, s.Value.Term)))
            .ToList();
        _fuzzyTargets = [.. english.Select(e => (e.Key, e.Term, AnalyteGrammar.DirectionOf(e.Key)))];
        _bags = BagIndex(english);
        _suggester = new TermSuggester(dictionary, english, _synonyms.Where(s => VerbatimKey.IsHan(s.Key)).Select(s => (s.Key, s.Value.Term)));
    }

    /// <summary>The coder over the embedded dictionary and synonym table.</summary>
    public static CtcaeCoder Default => Instance.Value;

    /// <summary>How many curated synonyms the table holds.</summary>
    public int SynonymCount => _synonyms.Count;

    /// <summary>The longest verbatim text the ladder tries; the longest CTCAE v5.0 term has about 100 characters.</summary>
    public const int MaxVerbatimLength = 500;

    /// <summary>Codes a verbatim text, with an optional MedDRA code that takes precedence when it names a CTCAE term.</summary>
    /// <param name="grade">The row's grade, needed only for CTCAE v4.03 terms that v5.0 split by grade.</param>
    public CodingResult Code(string verbatim, MedDraCode? code = null, CtcaeGrade? grade = null)
    {
        ArgumentNullException.ThrowIfNull(verbatim);
        if (code is { } c && _dictionary.Find(c) is { } byCode)
        {
            return new CodingResult(verbatim, byCode, CodingMethod.MedDraCode, 1, null, []);
        }

        if (verbatim.Length > MaxVerbatimLength)
        {
            // Fuzzy matching is quadratic in the text's length: a pasted document must not stall ingest (or fill the cache).
            return new CodingResult(verbatim, null, CodingMethod.NeedsCoding, 0,
                string.Create(CultureInfo.InvariantCulture, $"the term is {verbatim.Length:N0} characters long; texts over {MaxVerbatimLength} characters are not matched"), []);
        }

        lock (_gate)
        {
            var key = GradeMatters(verbatim) && grade is { } g ? $"{verbatim}\u001f{g.Value}" : verbatim;
            if (!_cache.TryGetValue(key, out var result))
            {
                result = Ladder(verbatim, grade);
                _cache[key] = result;
            }

            return result;
        }
    }

    /// <summary>
    /// Whether the grade can change how a text codes: only a CTCAE v4.03 term that NCI's mapping converts (some targets
    /// depend on the grade) passes the grade to the ladder. Any other text codes alike at every grade, so it runs the
    /// ladder once, not once per grade: 2,000 distinct verbatims at five grades cost 2,000 ladders, not 10,000.
    /// </summary>
    private bool GradeMatters(string verbatim)
    {
        if (_byGrade.Contains(verbatim))
        {
            return true;
        }

        // Decided when the text is first seen (with or without a grade), before anything is cached under it alone.
        if (!_cache.ContainsKey(verbatim) && CtcaeV4Mapping.Default.Converts(Repaired(verbatim)))
        {
            _byGrade.Add(verbatim);
            return true;
        }

        return false;
    }

    /// <summary>
    /// The CTCAE terms closest in meaning to a text, best first, with a relevance from 0 to 1: the term an analyte and
    /// direction name, terms a coder chose for the same phrase, then shared words (typos allowed), synonyms and spelling,
    /// with terms of the best term's SOC raised a little. A term of the opposite direction (increased/decreased,
    /// hyper/hypo, high/low) is never offered. Works for any text, coded or not.
    /// </summary>
    public IReadOnlyList<(CtcaeTerm Term, double Similarity)> Suggest(string verbatim, int count = SuggestionCount)
    {
        ArgumentNullException.ThrowIfNull(verbatim);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var clean = VerbatimKey.StripNoise(VerbatimKey.American(TermKey.Of(Repaired(verbatim))));
        return _suggester.Suggest(clean, count);
    }

    private static string Repaired(string verbatim) => TextRepair.Mojibake(verbatim.Normalize(NormalizationForm.FormKC)).Trim();

    internal CodingResult Ladder(string verbatim, CtcaeGrade? grade)
    {
        var text = Repaired(verbatim);
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
        if (_synonyms.TryGetValue(termKey, out var synonym) || _synonyms.TryGetValue(text, out synonym) || _synonyms.TryGetValue(VerbatimKey.Compact(termKey), out synonym))
        {
            return Coded(synonym.Term, CodingMethod.Synonym, synonym.Note);
        }

        var american = VerbatimKey.American(termKey);
        if (american != termKey && Find(american) is { } spelled)
        {
            return Coded(spelled.Term, spelled.ViaSynonym ? CodingMethod.Synonym : CodingMethod.Spelling, "British spelling");
        }

        var clean = VerbatimKey.StripNoise(american);
        if (clean.Length == 0)
        {
            return NeedsCoding("no words that name an event", []);
        }

        if (InAnyWordForm(clean) is { } worded)
        {
            return Coded(worded, CodingMethod.WordForm, "word order, plurals, MedDRA prefix, grade or severity words set aside");
        }

        if (Grammar(clean) is { } read)
        {
            return Coded(read.Term, read.Method, read.Note);
        }

        var unqualified = Unqualified(clean);
        // A radiation- or immune-related cause rules an infection out: "radiation pneumonia" is not Lung infection.
        if (unqualified.Length > 0 && unqualified != clean && (InAnyWordForm(unqualified) ?? Grammar(unqualified)?.Term) is { } bare && bare.Soc != InfectionsSoc)
        {
            return Coded(bare, CodingMethod.QualifierDropped, "cause, course, extent or histology qualifier dropped (radiation, immune-related, acute, generalised, erosive…); CTCAE has no separate term");
        }

        if (!VerbatimKey.IsHan(clean) && Fuzzy(clean) is { } fuzzy)
        {
            return new CodingResult(verbatim, fuzzy.Term, CodingMethod.Fuzzy, fuzzy.Similarity, $"closest term, similarity {fuzzy.Similarity:0.00}", []);
        }

        return NeedsCoding(splitNote ?? "no rung of the coding ladder applies", _suggester.Suggest(clean, SuggestionCount));

        CodingResult Coded(CtcaeTerm term, CodingMethod method, string? note) => new(verbatim, term, method, 1, note, []);
        CodingResult NeedsCoding(string note, IReadOnlyList<(CtcaeTerm, double)> suggestions) => new(verbatim, null, CodingMethod.NeedsCoding, 0, note, suggestions);
    }

    private (CtcaeTerm Term, bool ViaSynonym)? Find(string key)
    {
        if (_dictionary.Find(key) is { } term)
        {
            return (term, false);
        }

        if (_synonyms.TryGetValue(key, out var synonym) || _synonyms.TryGetValue(VerbatimKey.Compact(key), out synonym))
        {
            return (synonym.Term, true);
        }

        return null;
    }

    /// <summary>A term or synonym as written, in another word order or number, or behind a MedDRA specimen prefix ("Blood …").</summary>
    private CtcaeTerm? InAnyWordForm(string key)
    {
        if (Find(key) is { } found)
        {
            return found.Term;
        }

        if (!VerbatimKey.IsHan(key) && _bags.TryGetValue(VerbatimKey.Bag(key), out var bagged))
        {
            return bagged;
        }

        return SpecimenPrefix().Match(key) is { Success: true } prefixed && key.Length > prefixed.Length ? InAnyWordForm(key[prefixed.Length..]) : null;
    }

    private static (CtcaeTerm Term, CodingMethod Method, string Note)? Grammar(string key)
    {
        if (AnalyteGrammar.Default.Read(key) is { } reading && reading.Analyte.Term(reading.Direction) is { } analyteTerm)
        {
            return (analyteTerm, CodingMethod.AnalyteDirection, $"{reading.Analyte.Name} {(reading.Direction == Direction.Up ? "increased" : "decreased")}");
        }

        return BodySiteGrammar.Default.Read(key) is { } siteTerm ? (siteTerm, CodingMethod.BodySite, "pain or swelling at a body site CTCAE folds into this term") : null;
    }

    private static string Unqualified(string key) => VerbatimKey.IsHan(key)
        ? HanQualifier().Replace(VerbatimKey.Compact(key), "")
        : Whitespace().Replace(Qualifier().Replace(key, " "), " ").Trim();

    private (CtcaeTerm Term, double Similarity)? Fuzzy(string key)
    {
        // A fuzzy match never crosses a direction: "neutrophil count increased" is not "…decreased" at 0.92.
        var direction = AnalyteGrammar.DirectionOf(key);
        var ranked = _fuzzyTargets
            .Where(t => t.Direction == direction)
            .Select(t => (t.Term, Similarity: Similarity(key, t.Key)))
            .GroupBy(t => t.Term)
            .Select(g => (Term: g.Key, Similarity: g.Max(x => x.Similarity)))
            .OrderByDescending(t => t.Similarity)
            .Take(2)
            .ToList();
        return ranked.Count > 0 && ranked[0].Similarity >= Threshold && (ranked.Count == 1 || ranked[0].Similarity - ranked[1].Similarity >= Margin)
            ? ranked[0]
            : null;
    }

    /// <summary>Bags of word stems of every term and English synonym; a bag two different terms share is left out.</summary>
    private static FrozenDictionary<string, CtcaeTerm> BagIndex(IEnumerable<(string Key, CtcaeTerm Term)> english)
    {
        var bags = new Dictionary<string, CtcaeTerm?>(StringComparer.Ordinal);
        foreach (var (key, term) in english)
        {
            var bag = VerbatimKey.Bag(VerbatimKey.American(key));
            bags[bag] = bags.TryGetValue(bag, out var other) && other != term ? null : term;
        }

        return bags.Where(b => b.Value is not null).ToFrozenDictionary(b => b.Key, b => b.Value!, StringComparer.Ordinal);
    }

    /// <summary>1 − optimal-string-alignment distance / longer length: transpositions count once.</summary>
    /// <remarks>The table is kept three rows at a time (a transposition looks two rows back), without allocating: a
    /// verbatim that reaches the fuzzy rung is compared with every term and synonym.</remarks>
    internal static double Similarity(string a, string b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return 0;
        }

        var width = b.Length + 1;
        var rows = width * 3 <= 1024 ? stackalloc int[width * 3] : new int[width * 3];
        var twoBack = rows[..width];
        var previous = rows.Slice(width, width);
        var current = rows.Slice(2 * width, width);
        for (var j = 0; j < width; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var d = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d = Math.Min(d, twoBack[j - 2] + 1);
                }

                current[j] = d;
            }

            var reused = twoBack;
            twoBack = previous;
            previous = current;
            current = reused;
        }

        return 1 - ((double)previous[b.Length] / Math.Max(a.Length, b.Length));
    }

    private static FrozenDictionary<string, (CtcaeTerm, string, string?)> LoadSynonyms(CtcaeDictionary dictionary)
    {
        var synonyms = new Dictionary<string, (CtcaeTerm, string, string?)>(StringComparer.Ordinal);
        foreach (var (row, line) in Text.EmbeddedConfiguration.ReadTable(SynonymResource))
        {
            var term = dictionary.Find(row[1]) ?? throw new InvalidOperationException($"Synonym table line {line}: '{row[1]}' is not a CTCAE v5.0 term.");
            var language = row[2];
            var key = language.StartsWith("zh", StringComparison.Ordinal) ? row[0].Trim() : TermKey.Of(row[0]);
            synonyms[key] = (term, language, string.IsNullOrWhiteSpace(row[3]) ? null : row[3]);
        }

        return synonyms.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Qualifiers CTCAE folds into the bare term: cause (radiation, immune, drug), course (acute, chronic), extent
    /// (generalised, localised, diffuse) and histology (erosive, primary, secondary).</summary>
    [GeneratedRegex(@"\b(radiation|radiotherapy|radio|induced|immune|related|mediated|irae|ir|treatment|drug|associated|acute|chronic|checkpoint|inhibitor|autoimmune|erosive|primary|secondary|subclinical|generalized|localized|diffuse|focal)\b")]
    private static partial Regex Qualifier();

    /// <summary>The same qualifiers as Chinese sites write them in front of the term (免疫相关性, 放射性, 急性, …).</summary>
    [GeneratedRegex("^(?:免疫检查点抑制剂相关性?|免疫相关性?|免疫介导性?的?|免疫性|放射性|放疗相关性?|放疗后|急性|慢性|药物性|继发性|原发性|糜烂性)")]
    private static partial Regex HanQualifier();

    /// <summary>MedDRA names a lab finding by its specimen ("Blood potassium decreased"); CTCAE names it without.</summary>
    [GeneratedRegex(@"^(?:blood|serum|plasma)\s")]
    private static partial Regex SpecimenPrefix();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
