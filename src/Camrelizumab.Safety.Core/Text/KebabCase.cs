using System.Text.Json;

namespace Camrelizumab.Safety.Core.Text;

/// <summary>An enum member's kebab-case name, as <see cref="KebabCaseEnumConverter{TEnum}"/> writes it in JSON.</summary>
public static class KebabCase
{
    public static string Name<TEnum>(TEnum value)
        where TEnum : struct, Enum => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());
}
