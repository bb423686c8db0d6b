namespace Camrelizumab.Safety.Core.Grading;

/// <summary>One threshold of a CTCAE lab criterion: the grade a result gets beyond <see cref="Threshold"/>.</summary>
/// <remarks>CTCAE writes ranges such as "&gt;3.0 - 5.0 x ULN": the lower end is exclusive and the upper inclusive, so a
/// band is exclusive unless the text says otherwise ("1.5 - 3.0 x baseline" includes 1.5; "150 - 300 mg/dL" includes 150).</remarks>
internal readonly record struct LabBand(int Grade, decimal Threshold, bool Inclusive = false)
{
    public bool IsBelow(decimal value, decimal scale = 1m) => Inclusive ? value <= Threshold * scale : value < Threshold * scale;

    public bool IsAbove(decimal value, decimal scale = 1m) => Inclusive ? value >= Threshold * scale : value > Threshold * scale;
}
