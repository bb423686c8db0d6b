using System.Text.RegularExpressions;
using Camrelizumab.Safety.Storage;
using Camrelizumab.Safety.Storage.Mail;
using Camrelizumab.Safety.Storage.Pipeline;

namespace Camrelizumab.Safety.Infra.Tests;

/// <summary>
/// Every app setting the deployed code reads is either set by Bicep or marked optional in the README table, and the
/// Functions adapter's names (connection, containers, tables, schedules) are the ones Bicep creates.
/// </summary>
public sealed partial class AppSettingsTests
{
    private static readonly string Root = Directory.GetParent(Bicep.InfraDirectory)!.FullName;

    [Fact]
    public void EverySettingTheCodeReads_IsSetByBicepOrMarkedOptional()
    {
        var bicep = BicepSettings();
        var readme = ReadmeTable();
        var unexplained = SettingsTheCodeReads()
            .Where(name => !bicep.Any(b => Matches(name, b)) && !readme.Any(r => Matches(name, r.Name) && r.SetBy == "optional"))
            .ToList();

        Assert.Empty(unexplained);
    }

    [Fact]
    public void EveryReadmeRow_IsReadByTheCodeOrSetByBicep()
    {
        var read = SettingsTheCodeReads().ToList();
        var bicep = BicepSettings();

        Assert.All(ReadmeTable(), row => Assert.True(
            read.Any(r => Matches(r, row.Name)) || bicep.Any(b => Matches(b, row.Name)),
            $"README row {row.Name} is neither read by the code nor set by Bicep."));
    }

    [Fact]
    public void BicepRowsInTheReadme_AreReallySetByBicep()
    {
        var bicep = BicepSettings();

        Assert.All(ReadmeTable().Where(r => r.SetBy.StartsWith("Bicep", StringComparison.Ordinal)), row =>
            Assert.True(bicep.Any(b => Matches(b, row.Name)), $"README says Bicep sets {row.Name}, but main.bicep does not."));
    }

    [Fact]
    public void FunctionsAdapterNames_MatchTheBicep()
    {
        var functions = FunctionsSource();
        var resources = BicepTemplateTests.Snapshot("main.snapshot.json");
        var bicep = BicepSettings();

        // The blob trigger watches ae-inbox through the SafetyStorage connection.
        Assert.Contains("\"ae-inbox/{name}\"", functions, StringComparison.Ordinal);
        Assert.Contains("Connection = \"SafetyStorage\"", functions, StringComparison.Ordinal);
        Assert.Contains("SafetyStorage__blobServiceUri", bicep);
        Assert.Contains("SafetyStorage__queueServiceUri", bicep);

        // Schedules named in %…% exist as settings.
        foreach (Match schedule in ScheduleSetting().Matches(functions))
        {
            Assert.Contains(schedule.Groups[1].Value, bicep);
        }

        // Every container and table the pipeline uses in Azure exists (safety-runtime belongs to the local runner).
        var names = new StorageNames("");
        var containers = resources.Where(r => r.GetProperty("type").GetString() == "Microsoft.Storage/storageAccounts/blobServices/containers").Select(r => r.GetProperty("name").GetString()!.Split('/')[^1]).ToHashSet();
        var tables = resources.Where(r => r.GetProperty("type").GetString() == "Microsoft.Storage/storageAccounts/tableServices/tables").Select(r => r.GetProperty("name").GetString()!.Split('/')[^1]).ToHashSet();
        Assert.All(names.Containers.Where(c => c != names.Runtime), c => Assert.Contains(c, containers));
        Assert.All(names.Tables, t => Assert.Contains(t, tables));
    }

    /// <summary>Options classes (by reflection) and the literal keys in the Storage and Functions sources.</summary>
    private static IEnumerable<string> SettingsTheCodeReads()
    {
        var names = new List<string>();
        names.AddRange(OptionKeys(typeof(StorageOptions), StorageOptions.SectionName));
        names.AddRange(OptionKeys(typeof(IngestOptions), IngestOptions.SectionName));
        names.AddRange(OptionKeys(typeof(MailOptions), MailOptions.SectionName));

        var storageSource = string.Join('\n', Directory.GetFiles(Path.Combine(Root, "src", "Camrelizumab.Safety.Storage"), "*.cs", SearchOption.AllDirectories).Select(File.ReadAllText));
        names.AddRange(ConfigurationIndexer().Matches(storageSource).Select(m => m.Groups[1].Value.Replace(":", "__", StringComparison.Ordinal)));

        var functions = FunctionsSource();
        names.AddRange(ScheduleSetting().Matches(functions).Select(m => m.Groups[1].Value));
        names.AddRange(SectionIndexer().Matches(functions).Select(m => $"SafetyStorage__{m.Groups[1].Value}"));
        if (functions.Contains("storage.Value", StringComparison.Ordinal))
        {
            names.Add("SafetyStorage");
        }

        // An identity-based blob trigger connection reads these (Functions "identity-based connections").
        if (functions.Contains("Connection = \"SafetyStorage\"", StringComparison.Ordinal))
        {
            names.AddRange(["SafetyStorage__blobServiceUri", "SafetyStorage__queueServiceUri", "SafetyStorage__credential", "SafetyStorage__clientId"]);
        }

        if (functions.Contains("AddApplicationInsightsTelemetryWorkerService", StringComparison.Ordinal))
        {
            names.AddRange(["APPLICATIONINSIGHTS_CONNECTION_STRING", "APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
        }

        return names.Distinct(StringComparer.Ordinal);
    }

    private static IEnumerable<string> OptionKeys(Type type, string prefix)
    {
        foreach (var property in type.GetProperties().Where(p => p.CanWrite || p.PropertyType.IsGenericType))
        {
            var name = $"{prefix}__{property.Name}";
            var t = property.PropertyType;
            if (t == typeof(string) || t.IsPrimitive || t == typeof(decimal))
            {
                yield return name;
            }
            else if (t.IsArray)
            {
                yield return $"{name}__<n>";
            }
            else if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Dictionary<,>))
            {
                yield return $"{name}__<key>";
            }
            else if (t.IsClass)
            {
                foreach (var nested in OptionKeys(t, name))
                {
                    yield return nested;
                }
            }
        }
    }

    private static List<string> BicepSettings()
    {
        var config = BicepTemplateTests.Snapshot("main.snapshot.json").Single(r => r.GetProperty("type").GetString() == "Microsoft.Web/sites/config");
        return [.. config.GetProperty("properties").EnumerateObject().Select(p => p.Name)];
    }

    private static List<(string Name, string SetBy)> ReadmeTable()
    {
        var readme = File.ReadAllLines(Path.Combine(Root, "README.md"));
        var start = Array.IndexOf(readme, "### App settings");
        return [.. readme.Skip(start)
            .SkipWhile(l => !l.StartsWith("| `", StringComparison.Ordinal))
            .TakeWhile(l => l.StartsWith('|'))
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries))
            .Select(cells => (cells[1].Trim('`'), cells[4].StartsWith("Bicep", StringComparison.Ordinal) ? "Bicep" : cells[4]))];
    }

    /// <summary>Exact match, or a pattern with &lt;placeholders&gt; (Mail__Recipients__&lt;role&gt;__&lt;n&gt;).</summary>
    private static bool Matches(string name, string pattern)
    {
        if (name == pattern)
        {
            return true;
        }

        var regex = "^" + Regex.Replace(Regex.Escape(pattern.Replace("<", "\u0001", StringComparison.Ordinal).Replace(">", "\u0002", StringComparison.Ordinal)), "\u0001[^\u0002]*\u0002", "[^_]+(__[^_]+)*") + "$";
        var reverse = "^" + Regex.Replace(Regex.Escape(name.Replace("<", "\u0001", StringComparison.Ordinal).Replace(">", "\u0002", StringComparison.Ordinal)), "\u0001[^\u0002]*\u0002", "[^_]+(__[^_]+)*") + "$";
        return Regex.IsMatch(name, regex) || Regex.IsMatch(pattern, reverse);
    }

    private static string FunctionsSource() =>
        string.Join('\n', Directory.GetFiles(Path.Combine(Root, "src", "Camrelizumab.Safety.Functions"), "*.cs").Select(File.ReadAllText));

    [GeneratedRegex("(?:%|ScheduleSetting = \")([A-Za-z0-9_]+)(?:%|\")")]
    private static partial Regex ScheduleSetting();

    [GeneratedRegex("configuration\\[\"([A-Za-z0-9:_]+)\"\\]")]
    private static partial Regex ConfigurationIndexer();

    [GeneratedRegex("storage\\[\"([A-Za-z0-9_]+)\"\\]")]
    private static partial Regex SectionIndexer();
}
