using System.Diagnostics.CodeAnalysis;
using Camrelizumab.Safety.Core.Stopping.Families;

namespace Camrelizumab.Safety.Core.Stopping;

/// <summary>The registered boundary families: the one place that lists them (docs/stopping-rules.md §2).</summary>
public static class BoundaryFamilies
{
    private static readonly BoundaryFamily[] Registered =
    [
        new PocockFamily(),
        new ObrienFlemingFamily(),
        new WangTsiatisFamily(),
        new BetaBinomialFamily(),
        new ChenChalonerFamily(),
        new TruncatedSprtFamily(),
        new MaxSprtFamily(),
        new WaldSprtFamily(),
        new BayesianThresholdFamily(),
        new Bop2Family(),
    ];

    private static readonly Dictionary<BoundaryMethod, BoundaryFamily> ByMethod = Registered.ToDictionary(f => f.Method);

    private static readonly Dictionary<string, BoundaryMethod> ByName = Registered.ToDictionary(f => f.Name, f => f.Method, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every family's name, in registration order: "pocock, obf, …, bop2".</summary>
    public static string Names { get; } = string.Join(", ", Registered.Select(f => f.Name));

    /// <summary>The family's name in the rules file, on the command line, in alerts and in stored evaluations.</summary>
    public static string Name(this BoundaryMethod method) => Of(method).Name;

    /// <summary>The method a name stands for, ignoring case.</summary>
    public static bool TryParse(string? name, [NotNullWhen(true)] out BoundaryMethod? method)
    {
        method = name is not null && ByName.TryGetValue(name, out var found) ? found : null;
        return method is not null;
    }

    /// <summary>The method a name stands for; an unknown name throws, listing the known ones.</summary>
    public static BoundaryMethod Parse(string name) =>
        TryParse(name, out var method) ? method.Value : throw new ArgumentException($"Unknown method '{name}'; use {Names}.", nameof(name));

    internal static BoundaryFamily Of(BoundaryMethod method) =>
        ByMethod.TryGetValue(method, out var family) ? family : throw new ArgumentOutOfRangeException(nameof(method), method, "No boundary family is registered for this method.");
}
