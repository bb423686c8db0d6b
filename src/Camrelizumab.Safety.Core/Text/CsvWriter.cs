using System.Text;

namespace Camrelizumab.Safety.Core.Text;

/// <summary>
/// Writes RFC 4180 CSV for people to open in Excel. Values from data that begin with <c>= + - @</c>, tab or carriage
/// return are prefixed with an apostrophe so a spreadsheet shows them as text instead of running them as formulas
/// (OWASP "CSV injection").
/// </summary>
public sealed class CsvWriter(TextWriter writer)
{
    public void WriteRow(IEnumerable<string?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var first = true;
        foreach (var value in values)
        {
            if (!first)
            {
                writer.Write(',');
            }

            writer.Write(Escape(value));
            first = false;
        }

        writer.Write("\r\n");
    }

    public static string Escape(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        var text = value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
        if (text.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            return text;
        }

        return new StringBuilder(text.Length + 2).Append('"').Append(text.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"').ToString();
    }
}
