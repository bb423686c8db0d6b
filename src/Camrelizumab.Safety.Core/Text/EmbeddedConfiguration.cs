using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Camrelizumab.Safety.Core.Text;

/// <summary>Reading the reviewed JSON configuration files: comments allowed, unknown fields refused, bytes hashed.</summary>
internal static class EmbeddedConfiguration
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false) },
    };

    /// <summary>An embedded resource of this assembly, by logical name.</summary>
    public static Stream Open(string resource) =>
        typeof(EmbeddedConfiguration).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The embedded resource {resource} is missing from the build.");

    /// <summary>Reads a whole file, deserializes it and returns it with the SHA-256 of its bytes.</summary>
    public static (T Value, byte[] Bytes, string Sha256) Read<T>(Stream stream, string sourceName)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        var bytes = memory.ToArray();
        T? value;
        try
        {
            value = JsonSerializer.Deserialize<T>(bytes, JsonOptions);
        }
        catch (JsonException ex)
        {
            var reason = ex is ConfigurationValueException ? ex.Message : Describe(ex.Message);
            throw new InvalidDataException($"{sourceName}: line {ex.LineNumber + 1}, at {ex.Path}: {reason}.", ex);
        }

        return (value ?? throw new InvalidDataException($"{sourceName}: the file is empty."), bytes, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    /// <summary>The records of an embedded CSV table after its header row, each with the line it starts on.</summary>
    public static IEnumerable<(IReadOnlyList<string> Row, long Line)> ReadTable(string resource)
    {
        using var stream = Open(resource);
        using var text = new StreamReader(stream);
        var csv = new CsvReader(text, ',');
        csv.TryRead(out _);
        while (csv.TryRead(out var row))
        {
            yield return (row, csv.RecordLine);
        }
    }

    /// <summary>What is wrong, in the words of the file rather than of .NET types (the serializer names those).</summary>
    private static string Describe(string message)
    {
        string After(string marker) => message[(message.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..].TrimEnd('.');
        if (message.Contains("does not contain any JSON tokens", StringComparison.Ordinal))
        {
            return "the file holds no JSON";
        }

        if (message.Contains("missing required properties including:", StringComparison.Ordinal))
        {
            return $"required field(s) missing: {After("including: ")}";
        }

        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            return $"unknown field {message.Split('\'')[1]}; check its spelling";
        }

        if (message.Contains("could not be converted to", StringComparison.Ordinal))
        {
            var type = After("converted to ");
            var expected = type.StartsWith("System.String", StringComparison.Ordinal) ? "text in quotes"
                : type.StartsWith("System.Boolean", StringComparison.Ordinal) ? "true or false"
                : type.StartsWith("System.Int", StringComparison.Ordinal) || type.StartsWith("System.Decimal", StringComparison.Ordinal) || type.StartsWith("System.Double", StringComparison.Ordinal) || type.StartsWith("System.Nullable", StringComparison.Ordinal) ? "a number"
                : type.Contains("List", StringComparison.Ordinal) || type.EndsWith("[]", StringComparison.Ordinal) ? "a list [ … ]"
                : "a value of another kind (an object, or one of the documented words)";
            return $"this value should be {expected}";
        }

        var end = message.IndexOfAny(['\r', '\n']);
        var text = end < 0 ? message : message[..end];
        foreach (var marker in new[] { " Path:", " LineNumber:" })
        {
            var at = text.IndexOf(marker, StringComparison.Ordinal);
            text = at < 0 ? text : text[..at];
        }

        return $"not valid JSON ({text.Trim().TrimEnd('.')})";
    }
}
