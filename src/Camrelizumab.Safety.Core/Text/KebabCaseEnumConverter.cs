using System.Text.Json;
using System.Text.Json.Serialization;

namespace Camrelizumab.Safety.Core.Text;

/// <summary>An enum written in JSON, logs and stored columns by its kebab-case name (<c>AdverseEvents</c> → <c>adverse-events</c>, as <see cref="KebabCase.Name"/>).</summary>
internal sealed class KebabCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false)
    where TEnum : struct, Enum;
