using System.Collections.Frozen;
using Camrelizumab.Safety.Core.Ctcae;

namespace Camrelizumab.Safety.Core.Coding;

/// <summary>
/// Ranks CTCAE terms by meaning for a text the ladder could not code (or any text): the term an analyte and direction
/// name; the terms a coder would weigh for a phrase too vague to code (<c>Coding/Data/suggestions.csv</c>: "Rash",
/// "Feeling unwell", "GI bleed"); then words shared with a term or any of its synonyms (typos allowed), or the whole
/// text's spelling; Chinese by shared characters. Terms of the best term's SOC are raised a little, and a term of the
/// opposite direction is never offered.
/// </summary>
internal sealed class TermSuggester
{
    private const string Resource = "Camrelizumab.Safety.Core.Coding.suggestions.csv";

    /// <summary>Below this relevance a term is noise, not a suggestion.</summary>
    private const double Floor = 0.4;

    /// <summary>Letters alone are weaker evidence than shared words: "low platelets" is 0.46 like "hot flashes".</summary>
    private const double SpellingWeight = 0.85;

    /// <summary>Raise for a term in the SOC of the best-ranked term.</summary>
    private const double SameSocRaise = 0.05;

    /// <summary>Two words this similar are the same word misspelt.</summary>
    private const double WordMatch = 0.75;

    private readonly (string Key, (string Word, string Stem)[] Words, CtcaeTerm Term, double Weight)[] _english;
    private readonly (string Text, CtcaeTerm Term)[] _han;
    private readonly FrozenDictionary<string, CtcaeTerm[]> _curated;
    private readonly FrozenDictionary<CtcaeTerm, Direction> _directions;

    public TermSuggester(CtcaeDictionary dictionary, IEnumerable<(string Key, CtcaeTerm Term)> english, IEnumerable<(string Text, CtcaeTerm Term)> han)
    {
        var curated = LoadCurated(dictionary);

        // Found as written or in another word order ("enzymes liver raised").
        var lookup = new Dictionary<string, CtcaeTerm[]>(curated, StringComparer.Ordinal);
        foreach (var (key, terms) in curated.Where(c => !VerbatimKey.IsHan(c.Key)))
        {
            lookup.TryAdd(VerbatimKey.Bag(key), terms);
        }

        _curated = lookup.ToFrozenDictionary(StringComparer.Ordinal);

        // A coder's list is a weaker witness than a synonym, and its order counts.
        _english = [.. english.Select(d => (d.Key, d.Term, Weight: 1.0))
            .Concat(curated.Where(c => !VerbatimKey.IsHan(c.Key)).SelectMany(c => c.Value.Select((t, i) => (c.Key, Term: t, Weight: 0.99 - (0.01 * i)))))
            .Select(d => (Key: VerbatimKey.American(d.Key), d.Term, d.Weight))
            .Select(d => (d.Key, Words(d.Key), d.Term, d.Weight))];
        _han = [.. han.Concat(curated.Where(c => VerbatimKey.IsHan(c.Key)).SelectMany(c => c.Value.Select(t => (c.Key, t))))];

        // A term's direction: from the analyte table where it is there (Anemia is haemoglobin down), else from its words.
        var directions = new Dictionary<CtcaeTerm, Direction>();
        foreach (var term in dictionary.Terms)
        {
            if (AnalyteGrammar.DirectionOf(TermKey.Of(term.Name)) is { } d)
            {
                directions[term] = d;
            }
        }

        foreach (var analyte in AnalyteGrammar.Default.Analytes)
        {
            if (analyte.Increased is { } up)
            {
                directions[up] = Direction.Up;
            }

            if (analyte.Decreased is { } down)
            {
                directions[down] = Direction.Down;
            }
        }

        _directions = directions.ToFrozenDictionary();
    }

    /// <summary>Suggestions for a cleaned key (American spelling, noise words set aside), best first.</summary>
    public IReadOnlyList<(CtcaeTerm Term, double Similarity)> Suggest(string key, int count)
    {
        var scores = new Dictionary<CtcaeTerm, double>();
        var decided = new HashSet<CtcaeTerm>();
        void Offer(CtcaeTerm term, double score)
        {
            if (score > scores.GetValueOrDefault(term))
            {
                scores[term] = score;
            }
        }

        var direction = AnalyteGrammar.DirectionOf(key);
        if (AnalyteGrammar.Default.Read(key) is { } reading && reading.Analyte.Term(reading.Direction) is { } named)
        {
            Offer(named, 1);
            decided.Add(named);
        }

        var compact = VerbatimKey.Compact(key);
        if (_curated.TryGetValue(VerbatimKey.IsHan(key) ? compact : key, out var chosen) || (!VerbatimKey.IsHan(key) && _curated.TryGetValue(VerbatimKey.Bag(key), out chosen)))
        {
            decided.UnionWith(chosen);
        }

        if (VerbatimKey.IsHan(key))
        {
            foreach (var (text, term) in _han)
            {
                Offer(term, CharacterOverlap(compact, text));
            }
        }
        else
        {
            var words = Words(key);
            foreach (var (docKey, docWords, term, weight) in _english)
            {
                Offer(term, weight * Math.Max(WordOverlap(words, docWords), SpellingWeight * CtcaeCoder.Similarity(key, docKey)));
            }
        }

        // A coder's list for the phrase keeps its order, whatever the words share with other phrasings.
        for (var i = 0; i < (chosen?.Length ?? 0); i++)
        {
            scores[chosen![i]] = 0.99 - (0.01 * i);
        }

        // A coder's list may cross ("TSH decreased" → Hyperthyroidism); nothing else does.
        var allowed = scores.Where(s => direction is null || decided.Contains(s.Key) || !_directions.TryGetValue(s.Key, out var d) || d == direction).ToList();
        if (allowed.Count == 0)
        {
            return [];
        }

        // The SOC raise orders terms found by their words; it never overtakes a term named by an analyte or a coder's list.
        var best = allowed.MaxBy(s => s.Value).Key;
        var ceiling = allowed.Where(s => !decided.Contains(s.Key)).Select(s => s.Value).DefaultIfEmpty(0).Max();
        return [.. allowed
            .Select(s => (Term: s.Key, Similarity: decided.Contains(s.Key) || s.Key.Soc != best.Soc || s.Key == best ? s.Value : Math.Min(ceiling, s.Value + SameSocRaise)))
            .Where(s => s.Similarity >= Floor)
            .OrderByDescending(s => s.Similarity)
            .ThenBy(s => s.Term.Name, StringComparer.Ordinal)
            .Take(count)];
    }

    /// <summary>The words that carry meaning, as written and as stems: joiners and direction words (which the direction
    /// filter already weighs) left out, so "low platelets" does not rank "low mood".</summary>
    private static (string Word, string Stem)[] Words(string key) =>
        [.. key.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => !VerbatimKey.IsJoiner(w) && !AnalyteGrammar.IsDirectionWord(w)).Select(w => (w, VerbatimKey.Stem(w))).DistinctBy(w => w.Item2)];

    /// <summary>How much of the text's words a term's words cover (mostly) and how much of the term they make up, a
    /// misspelt word counting by its similarity (as written or as stems, whichever is closer).</summary>
    private static double WordOverlap((string Word, string Stem)[] query, (string Word, string Stem)[] document)
    {
        if (query.Length == 0 || document.Length == 0)
        {
            return 0;
        }

        var matched = 0.0;
        foreach (var word in query)
        {
            var best = 0.0;
            foreach (var other in document)
            {
                var similarity = word.Stem == other.Stem ? 1 : Math.Max(CtcaeCoder.Similarity(word.Word, other.Word), CtcaeCoder.Similarity(word.Stem, other.Stem));
                best = Math.Max(best, similarity >= WordMatch ? similarity : 0);
            }

            matched += best;
        }

        return (0.7 * matched / query.Length) + (0.3 * Math.Min(1, matched / document.Length));
    }

    /// <summary>Dice coefficient of the character bigrams (single characters for one- or two-character text).</summary>
    private static double CharacterOverlap(string a, string b)
    {
        static List<string> Grams(string s) => s.Length <= 2
            ? [.. s.Select(c => c.ToString())]
            : [.. Enumerable.Range(0, s.Length - 1).Select(i => s.Substring(i, 2))];
        var (x, y) = (Grams(a), Grams(b));
        if (x.Count == 0 || y.Count == 0)
        {
            return 0;
        }

        var pool = y.ToList();
        var shared = x.Count(g => pool.Remove(g));
        return 2.0 * shared / (x.Count + y.Count);
    }

    private static Dictionary<string, CtcaeTerm[]> LoadCurated(CtcaeDictionary dictionary)
    {
        var curated = new Dictionary<string, List<CtcaeTerm>>(StringComparer.Ordinal);
        foreach (var (row, line) in Text.EmbeddedConfiguration.ReadTable(Resource))
        {
            // phrase, ctcae_term, language, note: one row per term, in the order a coder would weigh them.
            var term = dictionary.Find(row[1]) ?? throw new InvalidOperationException($"Suggestion table line {line}: '{row[1]}' is not a CTCAE v5.0 term.");
            var key = VerbatimKey.StripNoise(VerbatimKey.American(TermKey.Of(row[0])));
            key = VerbatimKey.IsHan(key) ? VerbatimKey.Compact(key) : key;
            if (!curated.TryGetValue(key, out var terms))
            {
                curated[key] = terms = [];
            }

            terms.Add(term);
        }

        return curated.ToDictionary(c => c.Key, c => c.Value.ToArray(), StringComparer.Ordinal);
    }
}
