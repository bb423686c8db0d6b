using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Camrelizumab.Safety.Core.Configuration;

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
            throw new InvalidDataException($"{sourceName}: not valid at {ex.Path} (line {ex.LineNumber + 1}): {ex.Message}", ex);
        }

        return (value ?? throw new InvalidDataException($"{sourceName}: the file is empty."), bytes, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    /// <summary>The records of an embedded CSV table after its header row, each with the line it starts on.</summary>
    public static IEnumerable<(IReadOnlyList<string> Row, long Line)> ReadTable(string resource)
    {
        using var stream = Open(resource);
        using var text = new StreamReader(stream);
        var csv = new Text.CsvReader(text, ',');
        csv.TryRead(out _);
        while (csv.TryRead(out var row))
        {
            yield return (row, csv.RecordLine);
        }
    }
}
