namespace Camrelizumab.Safety.Core.Text;

/// <summary>Bounds that keep a hostile or broken file from exhausting memory.</summary>
/// <param name="MaxFieldLength">Longest field, in characters. A longer one makes the file unreadable.</param>
/// <param name="MaxRecordLength">Longest record, in characters, embedded newlines included.</param>
/// <param name="MaxFieldCount">Most fields in one record.</param>
public sealed record CsvLimits(int MaxFieldLength, int MaxRecordLength, int MaxFieldCount)
{
    /// <summary>
    /// Defaults for AE exports: no real AE field comes near 32 K characters (SAS itself caps character variables at 32,767 bytes).
    /// </summary>
    public static CsvLimits Default { get; } = new(32_767, 1_048_576, 1_000);
}
