using System.Text.RegularExpressions;
using Camrelizumab.Safety.Core.Ctcae;

namespace Camrelizumab.Safety.Core.Coding;

/// <summary>
/// The general rules that turn what a site wrote into the words a CTCAE term is made of: American spelling, words that
/// say how bad or how often rather than what (grade, severity, course, laterality, "NOS"), and a bag of singular word
/// stems in which word order and plurals no longer matter.
/// </summary>
internal static partial class VerbatimKey
{
    /// <summary>Words a bag of words leaves out: they join a term's words but do not choose the term.</summary>
    private static readonly HashSet<string> Joiners = new(StringComparer.Ordinal) { "of", "the", "a", "an", "in", "on", "with", "at", "to" };

    /// <summary>British → American spelling for the patterns CTCAE terms contain (a <see cref="TermKey"/> in, one out).</summary>
    public static string American(string key) =>
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
            .Replace("oestr", "estr", StringComparison.Ordinal)
            .Replace("gynaec", "gynec", StringComparison.Ordinal)
            .Replace("colour", "color", StringComparison.Ordinal)
            .Replace("odour", "odor", StringComparison.Ordinal)
            .Replace("alisation", "alization", StringComparison.Ordinal)
            .Replace("alised", "alized", StringComparison.Ordinal)
            .Replace("foetal", "fetal", StringComparison.Ordinal)
            .Replace("sulphate", "sulfate", StringComparison.Ordinal);

    /// <summary>
    /// Leaves out what says how bad, how often or which side rather than what happened: "grade 3", "G2", "mild",
    /// "worsening", "intermittent", "left", "NOS", "(CTCAE)". Laterality stays where it names a term ("left-sided",
    /// "right ventricular", "bundle branch block left").
    /// </summary>
    public static string StripNoise(string key)
    {
        var stripped = Noise().Replace(key, " ");
        stripped = Laterality().Replace(stripped, " ");
        stripped = HanNoise().Replace(stripped, "");
        return Whitespace().Replace(stripped, " ").Trim();
    }

    /// <summary>True when the text holds Chinese characters, which the grammars read without word breaks.</summary>
    public static bool IsHan(string text) => HanCharacter().IsMatch(text);

    /// <summary>The text without spaces, for reading Chinese (where words are not separated) and mixed "ALT升高".</summary>
    public static string Compact(string key) => key.Replace(" ", "", StringComparison.Ordinal);

    /// <summary>
    /// A crude but symmetric stem: a trailing plural "s" (not "ss", "us", "is"), then a trailing "e", go; a final
    /// "i" becomes "y". Applied to a term's words and to a verbatim's alike, so "headaches" and "headache", "rashes" and
    /// "rash", "allergies" and "allergy" meet; two terms that would meet are detected where the index is built.
    /// </summary>
    public static string Stem(string word)
    {
        if (word.Length <= 3 || !char.IsAsciiLetter(word[^1]))
        {
            return word;
        }

        var stem = word;
        if (stem.EndsWith('s') && !stem.EndsWith("ss", StringComparison.Ordinal) && !stem.EndsWith("us", StringComparison.Ordinal) && !stem.EndsWith("is", StringComparison.Ordinal))
        {
            stem = stem[..^1];
        }

        if (stem.Length > 3 && stem.EndsWith('e'))
        {
            stem = stem[..^1];
        }

        return stem.EndsWith('i') ? stem[..^1] + "y" : stem;
    }

    /// <summary>"of", "the", "in", "with", …: words that join a term's words but do not choose the term.</summary>
    public static bool IsJoiner(string word) => Joiners.Contains(word);

    /// <summary>The words of a key as stems, joiners left out.</summary>
    public static IEnumerable<string> Stems(string key) =>
        key.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => !IsJoiner(w)).Select(Stem);

    /// <summary>The sorted stems of a key: "rash maculopapular", "Maculopapular rashes" and "rashes, maculopapular" share it.</summary>
    public static string Bag(string key) => string.Join(' ', Stems(key).Order(StringComparer.Ordinal));

    [GeneratedRegex(@"\b(?:(?:ctcae\s+)?(?:grade|gr|g)\s*[1-5]|ctcae|nos|mild|moderate|severe|worsening|worsened|worse|intermittent|persistent|recurrent|recurring|occasional|episodic|episodes?|transient|new|ongoing|aggravated|exacerbation|exacerbated|flare|symptomatic|asymptomatic)\b")]
    private static partial Regex Noise();

    [GeneratedRegex(@"\b(?:left|right|bilateral|both|unilateral)\b(?!\s*(?:sided|ventric|atri|bundle|heart|side\b))")]
    private static partial Regex Laterality();

    [GeneratedRegex(@"(?:[1-5一二三四五ⅠⅡⅢⅣⅤ]\s*(?:级|度)|轻度|中度|重度|加重)")]
    private static partial Regex HanNoise();

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex HanCharacter();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
