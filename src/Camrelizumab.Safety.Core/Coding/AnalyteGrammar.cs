using System.Collections.Frozen;
using Camrelizumab.Safety.Core.Ctcae;

namespace Camrelizumab.Safety.Core.Coding;

/// <summary>Which way a measurement went.</summary>
internal enum Direction
{
    Up,
    Down,
}

/// <summary>
/// Reads "analyte + direction" in any order and in English or Chinese ("elevated ALT", "ALT elevation", "Blood
/// potassium decreased", "low platelets", "血钾降低", "低钾", "ALT升高") against a reviewed table of analytes, their
/// names and abbreviations, and the CTCAE v5.0 term for each direction (<c>Coding/Data/analytes.csv</c>). A direction
/// the table has no term for ("platelets increased", "TSH decreased") codes nothing: a coder decides.
/// </summary>
internal sealed class AnalyteGrammar
{
    private const string Resource = "Camrelizumab.Safety.Core.Coding.analytes.csv";

    /// <summary>Words that name the specimen or the kind of value, not the analyte ("blood", "serum", "level", "count").</summary>
    private static readonly FrozenSet<string> Fillers = FrozenSet.Create(StringComparer.Ordinal,
        "blood", "serum", "plasma", "level", "levels", "count", "counts", "value", "values", "test", "result", "results", "reading", "of", "in", "the", "a", "on");

    private static readonly FrozenDictionary<string, Direction> EnglishDirections = new Dictionary<string, Direction>(StringComparer.Ordinal)
    {
        ["increased"] = Direction.Up, ["increase"] = Direction.Up, ["increasing"] = Direction.Up, ["elevated"] = Direction.Up,
        ["elevation"] = Direction.Up, ["raised"] = Direction.Up, ["high"] = Direction.Up, ["higher"] = Direction.Up,
        ["rise"] = Direction.Up, ["rising"] = Direction.Up, ["up"] = Direction.Up, ["gain"] = Direction.Up,
        ["prolonged"] = Direction.Up, ["prolongation"] = Direction.Up,
        ["decreased"] = Direction.Down, ["decrease"] = Direction.Down, ["decreasing"] = Direction.Down, ["low"] = Direction.Down,
        ["lower"] = Direction.Down, ["lowered"] = Direction.Down, ["reduced"] = Direction.Down, ["reduction"] = Direction.Down,
        ["drop"] = Direction.Down, ["dropped"] = Direction.Down, ["fall"] = Direction.Down, ["falling"] = Direction.Down,
        ["loss"] = Direction.Down, ["poor"] = Direction.Down, ["depressed"] = Direction.Down,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // Longest first, so "异常升高" is not read as "升高" with "异常" left over.
    private static readonly (string Word, Direction Direction)[] HanSuffixDirections =
    [
        ("升高", Direction.Up), ("增高", Direction.Up), ("增加", Direction.Up), ("偏高", Direction.Up), ("上升", Direction.Up),
        ("过高", Direction.Up), ("增多", Direction.Up), ("延长", Direction.Up), ("高", Direction.Up),
        ("降低", Direction.Down), ("减少", Direction.Down), ("下降", Direction.Down), ("减低", Direction.Down), ("偏低", Direction.Down),
        ("过低", Direction.Down), ("减退", Direction.Down), ("减轻", Direction.Down), ("不振", Direction.Down), ("低", Direction.Down), ("差", Direction.Down),
    ];

    private static readonly string[] HanSpecimens = ["外周血", "血清", "血浆", "血"];
    private static readonly string[] HanMeasures = ["计数", "水平", "浓度", "含量", "值", "血症", "症"];

    private readonly FrozenDictionary<string, Analyte> _byAlias;

    private AnalyteGrammar(CtcaeDictionary dictionary)
    {
        var byAlias = new Dictionary<string, Analyte>(StringComparer.Ordinal);
        var analytes = new List<Analyte>();
        foreach (var (row, line) in Text.EmbeddedConfiguration.ReadTable(Resource))
        {
            CtcaeTerm? Term(string name) => name.Length == 0 ? null
                : dictionary.Find(name) ?? throw new InvalidOperationException($"Analyte table line {line}: '{name}' is not a CTCAE v5.0 term.");
            var analyte = new Analyte(row[0], Term(row[2]), Term(row[3]));
            analytes.Add(analyte);
            // Each alias as English words and run together, for Chinese text that writes it inside ("ALT升高", "γ-GT升高").
            foreach (var alias in row[1].Split(';').Append(row[0]).Select(TermKey.Of))
            {
                foreach (var key in new[] { AliasKey(alias), VerbatimKey.Compact(alias) })
                {
                    if (byAlias.TryGetValue(key, out var other) && other != analyte)
                    {
                        throw new InvalidOperationException($"Analyte table line {line}: '{alias}' also names {other.Name}.");
                    }

                    byAlias[key] = analyte;
                }
            }
        }

        _byAlias = byAlias.ToFrozenDictionary(StringComparer.Ordinal);
        Analytes = analytes;
    }

    public static AnalyteGrammar Default { get; } = new(CtcaeDictionary.V5);

    public IReadOnlyList<Analyte> Analytes { get; }

    /// <summary>The analyte a cleaned key names and the direction it says, or <c>null</c> when it is not "analyte + direction".</summary>
    public (Analyte Analyte, Direction Direction)? Read(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return VerbatimKey.IsHan(key) ? ReadHan(VerbatimKey.Compact(key)) : ReadEnglish(key);
    }

    /// <summary>Whether an English word says a direction ("high", "decreased", "raised", …).</summary>
    public static bool IsDirectionWord(string word) => EnglishDirections.ContainsKey(word);

    /// <summary>The direction words of a text, English or Chinese, so that suggestions never cross one.</summary>
    public static Direction? DirectionOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var found = new HashSet<Direction>();
        foreach (var word in key.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (EnglishDirections.TryGetValue(word, out var d))
            {
                found.Add(d);
            }
            else if (word.StartsWith("hyper", StringComparison.Ordinal))
            {
                found.Add(Direction.Up);
            }
            else if (word.StartsWith("hypo", StringComparison.Ordinal))
            {
                found.Add(Direction.Down);
            }
        }

        if (VerbatimKey.IsHan(key))
        {
            foreach (var (word, d) in HanSuffixDirections.Where(h => h.Word.Length > 1))
            {
                if (key.Contains(word, StringComparison.Ordinal))
                {
                    found.Add(d);
                }
            }
        }

        return found.Count == 1 ? found.First() : null;
    }

    private (Analyte, Direction)? ReadEnglish(string key)
    {
        Direction? direction = null;
        var rest = new List<string>();
        foreach (var word in key.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (EnglishDirections.TryGetValue(word, out var d))
            {
                if (direction is { } seen && seen != d)
                {
                    return null;
                }

                direction = d;
            }
            else if (!Fillers.Contains(word))
            {
                rest.Add(VerbatimKey.Stem(word));
            }
        }

        return direction is { } found && rest.Count > 0 && _byAlias.TryGetValue(string.Join(' ', rest), out var analyte) ? (analyte, found) : null;
    }

    private (Analyte, Direction)? ReadHan(string text)
    {
        // Suffix form: [血] analyte [计数] direction — "血钾降低", "白细胞计数降低", "ALT升高".
        foreach (var (word, direction) in HanSuffixDirections)
        {
            if (text.Length > word.Length && text.EndsWith(word, StringComparison.Ordinal) && FindHan(text[..^word.Length]) is { } analyte)
            {
                return (analyte, direction);
            }
        }

        // Prefix form: 高/低 analyte [血症] — "低钾", "高尿酸血症", "低血压".
        if (text.Length > 1 && (text[0] == '高' || text[0] == '低') && FindHan(text[1..]) is { } prefixed)
        {
            return (prefixed, text[0] == '高' ? Direction.Up : Direction.Down);
        }

        return null;
    }

    private Analyte? FindHan(string text)
    {
        foreach (var measure in HanMeasures.Prepend(""))
        {
            if (!text.EndsWith(measure, StringComparison.Ordinal) || text.Length == measure.Length)
            {
                continue;
            }

            var named = text[..^measure.Length];
            if (_byAlias.TryGetValue(named, out var analyte))
            {
                return analyte;
            }

            foreach (var specimen in HanSpecimens)
            {
                if (named.Length > specimen.Length && named.StartsWith(specimen, StringComparison.Ordinal) && _byAlias.TryGetValue(named[specimen.Length..], out analyte))
                {
                    return analyte;
                }
            }
        }

        return null;
    }

    /// <summary>An alias as the readers compare it: English words without fillers, stemmed; Chinese without spaces.</summary>
    private static string AliasKey(string key) => VerbatimKey.IsHan(key)
        ? VerbatimKey.Compact(key)
        : string.Join(' ', key.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => !Fillers.Contains(w)).Select(VerbatimKey.Stem));
}

/// <summary>One analyte of the table, with the CTCAE v5.0 term for each direction (<c>null</c> where CTCAE has none).</summary>
internal sealed record Analyte(string Name, CtcaeTerm? Increased, CtcaeTerm? Decreased)
{
    public CtcaeTerm? Term(Direction direction) => direction == Direction.Up ? Increased : Decreased;
}
