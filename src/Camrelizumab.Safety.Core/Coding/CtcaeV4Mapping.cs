using System.Collections.Frozen;
using Camrelizumab.Safety.Core.Ctcae;

namespace Camrelizumab.Safety.Core.Coding;

/// <summary>
/// NCI's CTCAE v4.03 → v5.0 mapping (embedded with the dictionary), used for v4.03 terms that v5.0 no longer has. The
/// target can depend on the grade (v4.03 "Acute coronary syndrome" is "Chest pain - cardiac" at low grades and
/// "Myocardial infarction" at high ones); without a grade such a term is not converted.
/// </summary>
internal sealed class CtcaeV4Mapping
{
    private const string Resource = "Camrelizumab.Safety.Core.Ctcae.ctcae_v4_to_v5_mapping.csv";
    private static readonly Lazy<CtcaeV4Mapping> Instance = new(() => new CtcaeV4Mapping(CtcaeDictionary.V5));

    private readonly FrozenDictionary<string, Entry> _byKey;

    private CtcaeV4Mapping(CtcaeDictionary dictionary)
    {
        var rows = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (var (row, line) in Text.EmbeddedConfiguration.ReadTable(Resource))
        {
            // v4_meddra_code, v4_soc, v4_term, v4_grade_or_definition, v4_text, change_type, v5_meddra_code, v5_soc, v5_term, v5_grade_or_definition, v5_text, other_specify
            var v4Term = row[2];
            if (dictionary.Find(v4Term) is { } same && same.Name == v4Term)
            {
                continue;
            }

            var key = TermKey.Of(v4Term);
            if (!rows.TryGetValue(key, out var entry))
            {
                entry = new Entry(v4Term, []);
                rows[key] = entry;
            }

            var v5 = dictionary.Find(row[8]) ?? throw new InvalidOperationException($"Mapping line {line}: '{row[8]}' is not a v5.0 term.");
            if (int.TryParse(row[3], out var grade))
            {
                entry.ByGrade[grade] = (v5, row[5], row[11] == "N/A" ? null : row[11]);
            }
        }

        _byKey = rows.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public static CtcaeV4Mapping Default => Instance.Value;

    /// <summary>How many v4.03 terms are no longer v5.0 terms.</summary>
    public int RemovedTermCount => _byKey.Count;

    /// <summary>Whether <paramref name="text"/> is a v4.03-only term the mapping converts (at some grade, or at any).</summary>
    public bool Converts(string text) =>
        _byKey.TryGetValue(TermKey.Of(text ?? throw new ArgumentNullException(nameof(text))), out var entry) && entry.ByGrade.Count > 0;

    /// <summary>Converts a v4.03-only term; false when the text is not one, or the target depends on a grade not given.</summary>
    public bool TryConvert(string text, CtcaeGrade? grade, out CtcaeTerm? term, out string? note)
    {
        ArgumentNullException.ThrowIfNull(text);
        term = null;
        note = null;
        if (!_byKey.TryGetValue(TermKey.Of(text), out var entry) || entry.ByGrade.Count == 0)
        {
            return false;
        }

        var targets = entry.ByGrade.Values.Select(v => v.Term).Distinct().ToList();
        (CtcaeTerm Term, string Change, string? OtherSpecify) chosen;
        if (grade is { } g && entry.ByGrade.TryGetValue(g.Value, out var byGrade))
        {
            chosen = byGrade;
        }
        else if (targets.Count == 1)
        {
            chosen = entry.ByGrade.Values.First();
        }
        else
        {
            note = $"CTCAE v4.03 '{entry.V4Term}' was split in v5.0 by grade ({string.Join(", ", entry.ByGrade.OrderBy(p => p.Key).Select(p => $"grade {p.Key}: {p.Value.Term.Name}"))}); a grade is needed";
            return false;
        }

        term = chosen.Term;
        note = chosen.OtherSpecify is { } specify
            ? $"CTCAE v4.03 '{entry.V4Term}' was removed in v5.0; NCI maps it to '{chosen.Term.Name}' with '{specify}' as the specified text"
            : targets.Count > 1
                ? $"CTCAE v4.03 '{entry.V4Term}' was split in v5.0; at this grade NCI maps it to '{chosen.Term.Name}'"
                : $"CTCAE v4.03 '{entry.V4Term}' is '{chosen.Term.Name}' in v5.0 (NCI mapping, {chosen.Change})";
        return true;
    }

    private sealed record Entry(string V4Term, Dictionary<int, (CtcaeTerm Term, string Change, string? OtherSpecify)> ByGrade);
}
