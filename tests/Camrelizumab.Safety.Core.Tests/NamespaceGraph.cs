using System.Text.RegularExpressions;

namespace Camrelizumab.Safety.Core.Tests;

/// <summary>
/// Which of Core's namespaces each namespace uses, read from the sources: <c>using</c> lines (plain, static and alias)
/// and qualified names in code (<c>Camrelizumab.Safety.Core.X.Type</c>, <c>Core.X.Type</c>, or <c>X.Type</c> where X is
/// a Core namespace declaring Type). Comments and string literals are ignored. A folder below a top-level namespace
/// (<c>Stopping/Families</c>) counts as part of it: it sees its parent's types without any import.
/// </summary>
internal static partial class NamespaceGraph
{
    private const string Root = "Camrelizumab.Safety.Core.";

    /// <summary>For each namespace, the namespaces it uses, each with the first place that shows it.</summary>
    public static Dictionary<string, Dictionary<string, string>> Build(IReadOnlyCollection<(string Path, string Text)> files)
    {
        var namespaceOf = new Dictionary<string, string>(StringComparer.Ordinal);
        var typesIn = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (path, text) in files)
        {
            var ns = FileNamespace().Match(text).Groups[1].Value;
            namespaceOf[path] = ns;
            var types = typesIn.TryGetValue(ns, out var known) ? known : typesIn[ns] = new HashSet<string>(StringComparer.Ordinal);
            types.UnionWith(TypeDeclaration().Matches(Code(text)).Select(m => m.Groups[1].Value));
        }

        var graph = typesIn.Keys.Select(Module).Distinct(StringComparer.Ordinal).ToDictionary(n => n, _ => new Dictionary<string, string>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var (path, text) in files)
        {
            var from = Module(namespaceOf[path]);
            var code = Code(text);
            foreach (Match m in UsingDirective().Matches(code))
            {
                Add(from, Module(m.Groups[1].Value), $"{path}: using {m.Groups[1].Value}");
            }

            foreach (Match m in DottedName().Matches(code))
            {
                // Every split of A.B.C into a namespace and a type declared in it: Stopping.Families.GaussFamily, Coding.CodingMethod.
                var name = m.Value.StartsWith(Root, StringComparison.Ordinal) ? m.Value[Root.Length..]
                    : m.Value.StartsWith("Core.", StringComparison.Ordinal) ? m.Value["Core.".Length..]
                    : m.Value;
                var parts = name.Split('.');
                for (var i = 1; i < parts.Length; i++)
                {
                    var ns = Root + string.Join('.', parts[..i]);
                    if (typesIn.TryGetValue(ns, out var declared) && declared.Contains(parts[i]))
                    {
                        Add(from, Module(ns), $"{path}: {m.Value}");
                    }
                }
            }
        }

        return graph;

        void Add(string from, string to, string evidence)
        {
            if (from != to && graph.ContainsKey(to))
            {
                graph[from].TryAdd(to, evidence);
            }
        }
    }

    /// <summary>Every set of two or more namespaces that reach each other (strongly connected components, Tarjan).</summary>
    public static List<List<string>> Loops(Dictionary<string, Dictionary<string, string>> graph)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var loops = new List<List<string>>();
        foreach (var node in graph.Keys.Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(node))
            {
                Visit(node);
            }
        }

        return loops;

        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            foreach (var next in graph[node].Keys)
            {
                if (!index.TryGetValue(next, out var reached))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (stack.Contains(next))
                {
                    low[node] = Math.Min(low[node], reached);
                }
            }

            if (low[node] == index[node])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    component.Add(member);
                }
                while (member != node);
                if (component.Count > 1)
                {
                    loops.Add([.. component.Order(StringComparer.Ordinal)]);
                }
            }
        }
    }

    /// <summary>The top-level Core namespace a namespace belongs to (<c>Stopping.Families</c> → <c>Stopping</c>).</summary>
    private static string Module(string ns) =>
        ns.StartsWith(Root, StringComparison.Ordinal) ? ns[Root.Length..].Split('.')[0] : ns;

    /// <summary>The text without comments and string and character literals, so prose and messages do not count as use.</summary>
    private static string Code(string text) => CommentOrString().Replace(text, m => m.Value.StartsWith('/') ? " " : "\"\"");

    [GeneratedRegex(@"^namespace\s+([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex FileNamespace();

    [GeneratedRegex(@"\b(?:class|record|struct|enum|interface)\s+(?:class\s+|struct\s+)?([A-Z]\w*)")]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"^\s*(?:global\s+)?using\s+(?:static\s+)?(?:\w+\s*=\s*)?(Camrelizumab\.Safety\.Core\.[\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex UsingDirective();

    /// <summary>A dotted name of capitalised parts not preceded by a member access (<c>Queries.EventQuery</c>).</summary>
    [GeneratedRegex(@"(?<![\w.])[A-Z]\w*(?:\.[A-Z]\w*)+")]
    private static partial Regex DottedName();

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/|'(?:[^'\\\n]|\\.)'|"""""".*?""""""|@""(?:[^""]|"""")*""|""(?:[^""\\\n]|\\.)*""", RegexOptions.Singleline)]
    private static partial Regex CommentOrString();
}
