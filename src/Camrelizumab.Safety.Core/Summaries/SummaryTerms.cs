namespace Camrelizumab.Safety.Core.Summaries;

/// <summary>Which term and SOC an offline summary counts by.</summary>
public enum SummaryTerms
{
    /// <summary>The CTCAE v5.0 term and SOC the coding ladder gives; rows it cannot code count under the export's own term.</summary>
    Ctcae,

    /// <summary>The export's own dictionary-derived term and body system (AEDECOD/AEBODSYS), as a sponsor's TEAE tables count.</summary>
    Export,
}
