namespace Camrelizumab.Safety.Core.Grading;

/// <summary>Combines the low-direction and high-direction grades of one result (e.g. hypo- and hyperglycemia) into one
/// signed grade: negative for low, positive for high, 0 when neither applies.</summary>
internal static class LabGradeCombination
{
    /// <param name="lowTerm">Whether the test has a low-direction term at all.</param>
    /// <param name="low">The low-direction grade, when graded.</param>
    /// <param name="highTerm">Whether the test has a high-direction term at all.</param>
    /// <param name="high">The high-direction grade, when graded.</param>
    /// <returns>A grade above 0 in either direction wins; 0 only when every term the test has was graded 0; otherwise
    /// null, because an ungraded direction could hide an abnormal result.</returns>
    public static int? Combine(bool lowTerm, int? low, bool highTerm, int? high)
    {
        if (low > 0)
        {
            return -low;
        }

        if (high > 0)
        {
            return high;
        }

        if (!lowTerm && !highTerm)
        {
            return null;
        }

        return (!lowTerm || low == 0) && (!highTerm || high == 0) ? 0 : null;
    }
}
