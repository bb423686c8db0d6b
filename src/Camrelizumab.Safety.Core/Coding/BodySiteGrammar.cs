using System.Collections.Frozen;
using Camrelizumab.Safety.Core.Ctcae;

namespace Camrelizumab.Safety.Core.Coding;

/// <summary>
/// Reads "pain" or "swelling" with a body site, in any order and in English or Chinese ("pain in left arm", "knee pain",
/// "ankle swelling", "下肢水肿"), against a reviewed table of sites and the CTCAE v5.0 term CTCAE gives each
/// (<c>Coding/Data/body_sites.csv</c>). CTCAE folds many sites into one term (arm, leg, hand, foot → Pain in extremity;
/// knee, hip, wrist → Arthralgia); a site the table does not list, or one with no term ("chest pain": cardiac or not),
/// codes nothing.
/// </summary>
internal sealed class BodySiteGrammar
{
    private const string Resource = "Camrelizumab.Safety.Core.Coding.body_sites.csv";

    private static readonly FrozenSet<string> PainWords = FrozenSet.Create(StringComparer.Ordinal, "pain", "pains", "ache", "aches", "aching", "painful");
    private static readonly FrozenSet<string> SwellingWords = FrozenSet.Create(StringComparer.Ordinal, "swelling", "swellings", "swollen", "edema", "edemas", "edematous");
    private static readonly FrozenSet<string> Fillers = FrozenSet.Create(StringComparer.Ordinal, "in", "of", "the", "on", "at", "over", "around", "to", "my", "region", "area");
    private static readonly string[] HanPain = ["疼痛", "酸痛", "痛"];
    private static readonly string[] HanSwelling = ["水肿", "肿胀", "浮肿", "肿"];

    private readonly FrozenDictionary<string, (CtcaeTerm? Pain, CtcaeTerm? Swelling)> _bySite;

    private BodySiteGrammar(CtcaeDictionary dictionary)
    {
        var bySite = new Dictionary<string, (CtcaeTerm?, CtcaeTerm?)>(StringComparer.Ordinal);
        foreach (var (row, line) in Text.EmbeddedConfiguration.ReadTable(Resource))
        {
            CtcaeTerm? Term(string name) => name.Length == 0 ? null
                : dictionary.Find(name) ?? throw new InvalidOperationException($"Body-site table line {line}: '{name}' is not a CTCAE v5.0 term.");
            var terms = (Term(row[2]), Term(row[3]));
            foreach (var alias in row[1].Split(';').Append(row[0]).Select(TermKey.Of))
            {
                var key = VerbatimKey.IsHan(alias) ? VerbatimKey.Compact(alias) : SiteKey(alias.Split(' '));
                if (bySite.TryGetValue(key, out var other) && other != terms)
                {
                    throw new InvalidOperationException($"Body-site table line {line}: '{alias}' is already a site with other terms.");
                }

                bySite[key] = terms;
            }
        }

        _bySite = bySite.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public static BodySiteGrammar Default { get; } = new(CtcaeDictionary.V5);

    /// <summary>The CTCAE term for "pain/swelling + site" in a cleaned key, or <c>null</c>.</summary>
    public CtcaeTerm? Read(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (VerbatimKey.IsHan(key))
        {
            return ReadHan(VerbatimKey.Compact(key));
        }

        var words = key.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => !Fillers.Contains(w)).ToList();
        var pain = words.Count(PainWords.Contains);
        var swelling = words.Count(SwellingWords.Contains);
        if (pain + swelling != 1 || words.Count < 2)
        {
            return null;
        }

        var site = SiteKey(words.Where(w => !PainWords.Contains(w) && !SwellingWords.Contains(w)));
        return _bySite.TryGetValue(site, out var terms) ? (pain == 1 ? terms.Pain : terms.Swelling) : null;
    }

    private CtcaeTerm? ReadHan(string text)
    {
        foreach (var (heads, isPain) in new[] { (HanPain, true), (HanSwelling, false) })
        {
            foreach (var head in heads)
            {
                if (text.Length > head.Length && text.EndsWith(head, StringComparison.Ordinal))
                {
                    var site = text[..^head.Length];
                    site = site.Length > 1 && site.EndsWith('部') && !_bySite.ContainsKey(site) ? site[..^1] : site;
                    return _bySite.TryGetValue(site, out var terms) ? (isPain ? terms.Pain : terms.Swelling) : null;
                }
            }
        }

        return null;
    }

    private static string SiteKey(IEnumerable<string> words) => string.Join(' ', words.Select(VerbatimKey.Stem).Order(StringComparer.Ordinal));
}
