using System.Reflection;

namespace Camrelizumab.Safety.Core.Tests;

/// <summary>
/// Core's namespaces form layers: none uses, directly or through others, a namespace that uses it back (issue #18, item 5).
/// A loop makes two folders one module that can only be understood, tested and changed together.
/// </summary>
public sealed class NamespaceLoopTests
{
    [Fact]
    public void CoreNamespaces_HaveNoImportLoop()
    {
        var root = typeof(NamespaceLoopTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "CoreSources").Value!;
        var files = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(p => (Path.GetRelativePath(root, p), File.ReadAllText(p)))
            .ToList();

        var graph = NamespaceGraph.Build(files);

        Assert.True(graph.Count >= 10, $"Only {graph.Count} namespaces read from {root}.");
        var loops = NamespaceGraph.Loops(graph).Select(loop => string.Join(" ⇄ ", loop) + ": " + string.Join("; ", Evidence(graph, loop))).ToList();
        Assert.True(loops.Count == 0, "Core namespaces in a loop:\n" + string.Join('\n', loops));
    }

    [Theory]
    // Two using lines pointing at each other: the plainest loop.
    [InlineData("using Camrelizumab.Safety.Core.B;\nnamespace Camrelizumab.Safety.Core.A;\nsealed class X { B.Y? y; }", "namespace Camrelizumab.Safety.Core.B;\nusing Camrelizumab.Safety.Core.A;\nsealed class Y { }", "A,B")]
    // A qualified name relative to Core (Coding.CodingMethod in AdverseEvent) is a use without a using line.
    [InlineData("namespace Camrelizumab.Safety.Core.A;\nsealed class X { B.Y? y; }", "namespace Camrelizumab.Safety.Core.B;\nsealed class Y { Core.A.X? x; }", "A,B")]
    // One way only: layers, no loop.
    [InlineData("using Camrelizumab.Safety.Core.B;\nnamespace Camrelizumab.Safety.Core.A;\nsealed class X { }", "namespace Camrelizumab.Safety.Core.B;\nsealed class Y { }", "")]
    // A subfolder belongs to its parent: Stopping.Families using Stopping is not a loop.
    [InlineData("using Camrelizumab.Safety.Core.A.Sub;\nnamespace Camrelizumab.Safety.Core.A;\nsealed class X { }", "namespace Camrelizumab.Safety.Core.A.Sub;\nsealed class Y { X? x; }", "")]
    // Names in comments and messages are not uses.
    [InlineData("namespace Camrelizumab.Safety.Core.A;\n/// <see cref=\"B.Y\"/>\nsealed class X { string s = \"B.Y\"; char c = '\"'; }", "namespace Camrelizumab.Safety.Core.B;\nsealed class Y { A.X? x; }", "")]
    public void Loops_FindsExactlyTheNamespacesThatUseEachOther(string first, string second, string expected)
    {
        var graph = NamespaceGraph.Build([("A.cs", first), ("B.cs", second)]);

        Assert.Equal(expected, string.Join(';', NamespaceGraph.Loops(graph).Select(l => string.Join(',', l))));
    }

    private static IEnumerable<string> Evidence(Dictionary<string, Dictionary<string, string>> graph, List<string> loop) =>
        from a in loop from b in loop where graph[a].ContainsKey(b) select $"{a} → {b} ({graph[a][b]})";
}
