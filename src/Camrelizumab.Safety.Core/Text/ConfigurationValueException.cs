using System.Text.Json;

namespace Camrelizumab.Safety.Core.Text;

/// <summary>A value a converter refused, with a message already in the file's words (the serializer adds line and path).</summary>
internal sealed class ConfigurationValueException(string message) : JsonException(message);
