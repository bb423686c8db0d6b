namespace Camrelizumab.Safety.Core.Grading;

/// <summary>Which unit convention the laboratory reports in; CTCAE v5.0 states most lab thresholds in both.</summary>
public enum LabUnitSystem
{
    /// <summary>SI units: g/L, mmol/L, 10^9/L.</summary>
    SI,

    /// <summary>US conventional units: g/dL, mg/dL, 10^3/uL (and the legacy 10^3/mL, converted).</summary>
    UsConventional,
}
