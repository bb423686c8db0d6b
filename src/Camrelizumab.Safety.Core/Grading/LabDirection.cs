namespace Camrelizumab.Safety.Core.Grading;

/// <summary>Which way a lab criterion grades: a low value (hypo-, decreased) or a high value (hyper-, increased).</summary>
public enum LabDirection
{
    Low,
    High,
}
