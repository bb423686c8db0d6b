using System.Collections.Frozen;
using System.Security.Cryptography;
using Camrelizumab.Safety.Core.Text;

namespace Camrelizumab.Safety.Core.Ctcae;

/// <summary>
/// The 837 terms of NCI CTCAE v5.0 (27 November 2017), embedded in this assembly with their provenance
/// (<c>Ctcae/Data/SOURCE.md</c>) and parsed once into immutable lookups.
/// </summary>
public sealed class CtcaeDictionary
{
    private const string TermsResource = "Camrelizumab.Safety.Core.Ctcae.ctcae_v5_terms.csv";
    private static readonly Lazy<CtcaeDictionary> Instance = new(LoadEmbedded);

    private readonly FrozenDictionary<int, CtcaeTerm> _byCode;
    private readonly FrozenDictionary<string, CtcaeTerm> _byKey;

    private CtcaeDictionary(IReadOnlyList<CtcaeTerm> terms, string contentSha256)
    {
        Terms = terms;
        ContentSha256 = contentSha256;
        _byCode = terms.ToFrozenDictionary(t => t.Code.Value);
        _byKey = terms.ToFrozenDictionary(t => TermKey.Of(t.Name), StringComparer.Ordinal);
        Socs = [.. terms.Select(t => t.Soc).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>The dictionary shipped in this assembly.</summary>
    public static CtcaeDictionary V5 => Instance.Value;

    /// <summary>Human-readable version, stored with every evaluation so a decision can be recomputed.</summary>
    public static string Version => "CTCAE v5.0 (NCI, 2017-11-27)";

    /// <summary>SHA-256 of the embedded terms file: changes if anyone edits the dictionary.</summary>
    public string ContentSha256 { get; }

    /// <summary>All terms in NCI's order.</summary>
    public IReadOnlyList<CtcaeTerm> Terms { get; }

    /// <summary>The 26 system organ classes, sorted.</summary>
    public IReadOnlyList<string> Socs { get; }

    public CtcaeTerm? Find(MedDraCode code) => _byCode.GetValueOrDefault(code.Value);

    /// <summary>Exact lookup, insensitive to case, spacing and punctuation (see <see cref="TermKey"/>).</summary>
    public CtcaeTerm? Find(string termName)
    {
        ArgumentNullException.ThrowIfNull(termName);
        return _byKey.GetValueOrDefault(TermKey.Of(termName));
    }

    private static CtcaeDictionary LoadEmbedded()
    {
        using var stream = Text.EmbeddedConfiguration.Open(TermsResource);
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        var sha = Convert.ToHexStringLower(SHA256.HashData(memory.GetBuffer().AsSpan(0, (int)memory.Length)));
        memory.Position = 0;
        using var text = new StreamReader(memory);
        return new CtcaeDictionary(Parse(text), sha);
    }

    private static List<CtcaeTerm> Parse(TextReader text)
    {
        var csv = new CsvReader(text, ',');
        if (!csv.TryRead(out var header) || header.Count != 11 || header[0] != "meddra_code" || header[2] != "term")
        {
            throw new InvalidOperationException("The embedded CTCAE file does not have the expected header.");
        }

        var terms = new List<CtcaeTerm>(837);
        while (csv.TryRead(out var row))
        {
            if (!MedDraCode.TryParse(row[0], out var code))
            {
                throw new InvalidOperationException($"The embedded CTCAE file has an invalid MedDRA code on line {csv.RecordLine}.");
            }

            string?[] grades = [.. Enumerable.Range(3, 5).Select(i => NullIfDash(row[i]))];
            terms.Add(new CtcaeTerm(code, row[1], row[2], grades, NullIfDash(row[8])));
        }

        return terms;
    }

    private static string? NullIfDash(string text) => text == "-" ? null : text;
}
