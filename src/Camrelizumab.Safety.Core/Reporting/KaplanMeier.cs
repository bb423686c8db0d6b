namespace Camrelizumab.Safety.Core.Reporting;

/// <summary>The Kaplan–Meier estimate of the probability of remaining free of an event.</summary>
internal static class KaplanMeier
{
    /// <param name="observations">Days from first dose to the event or to censoring, and whether the event occurred.</param>
    /// <returns>The survival curve as (day, S(day)) at each event time, starting at (0, 1).</returns>
    public static IReadOnlyList<(double Day, double Survival)> Estimate(IEnumerable<(double Days, bool Event)> observations)
    {
        ArgumentNullException.ThrowIfNull(observations);
        var sorted = observations.OrderBy(o => o.Days).ThenByDescending(o => o.Event).ToList();
        var atRisk = sorted.Count;
        var survival = 1.0;
        var curve = new List<(double, double)> { (0, 1) };
        foreach (var group in sorted.GroupBy(o => o.Days))
        {
            var events = group.Count(o => o.Event);
            if (events > 0)
            {
                survival *= 1 - ((double)events / atRisk);
                curve.Add((group.Key, survival));
            }

            atRisk -= group.Count();
        }

        return curve;
    }
}
