using System.Globalization;

namespace Camrelizumab.Safety.Core.Grading;

/// <summary>The CTCAE v5.0 grade a lab result supports, 0 (within the criterion's normal) to 4, or why it cannot be graded.</summary>
/// <remarks>Grade 0 is not an AE grade; it says the result does not meet grade 1. Lab values alone never decide grade 5.</remarks>
public readonly record struct LabGrade
{
    private LabGrade(int? grade, string? notGradable)
    {
        Grade = grade;
        NotGradable = notGradable;
    }

    /// <summary>0–4, or null when <see cref="NotGradable"/> says why not.</summary>
    public int? Grade { get; }

    /// <summary>Why the result could not be graded (a value needed for the decision is missing, or the unit is not the criterion's).</summary>
    public string? NotGradable { get; }

    public bool IsGraded => Grade is not null;

    public static LabGrade Of(int grade)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(grade, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(grade, 4);
        return new LabGrade(grade, null);
    }

    public static LabGrade Missing(string what) => new(null, what);

    public override string ToString() => Grade?.ToString(CultureInfo.InvariantCulture) ?? $"not gradable ({NotGradable})";
}
