using System.Text.Json;
using System.Text.Json.Serialization;

namespace Camrelizumab.Safety.Core.Stopping;

/// <summary>A <see cref="BoundaryMethod"/> in a JSON file is its family's name (<c>"pocock"</c>, <c>"wald"</c>, …).</summary>
internal sealed class BoundaryMethodJsonConverter : JsonConverter<BoundaryMethod>
{
    public override BoundaryMethod Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var name = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return BoundaryFamilies.TryParse(name, out var method)
            ? method.Value
            : throw new Text.ConfigurationValueException($"the method should be one of {BoundaryFamilies.Names}");
    }

    public override void Write(Utf8JsonWriter writer, BoundaryMethod value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.Name());
    }
}
