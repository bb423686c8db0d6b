using MathNet.Numerics;

namespace Camrelizumab.Safety.Core.Stopping;

/// <summary>
/// What happens with patients enrolled but not yet evaluable when the rule stops (Martens and Logan; the
/// <c>tau</c>/<c>A</c> option of stoppingrule's <c>OC.rule.bin</c>), under uniform accrual of N patients over (0, A),
/// each result known τ after enrolment, results arriving in enrolment order (docs/stopping-rules.md §1).
/// </summary>
/// <param name="ExpectedEnrolled">E[enrolled] = Σ_k r_k (n_k + Σ_{m=1}^{N−n_k} π_m) + N(1 − R).</param>
/// <param name="ExpectedCalendarTime">E[calendar] = A Σ_k n_k r_k/(N+1) + A N (1 − R)/(N+1) + τ, in the units of A and τ.</param>
/// <param name="ExpectedToxicitiesIncludingPending">E[tox at stop] + p Σ_k r_k Σ_m π_m.</param>
public sealed record OverrunCharacteristics(double Rate, double ExpectedEnrolled, double ExpectedCalendarTime, double ExpectedToxicitiesIncludingPending)
{
    /// <param name="followUp">τ, the time from enrolment until a patient's result is known.</param>
    /// <param name="accrualTime">A, the time to enrol all N patients.</param>
    public static OverrunCharacteristics Compute(StoppingBoundary boundary, double rate, double followUp, double accrualTime)
    {
        ArgumentNullException.ThrowIfNull(boundary);
        ArgumentOutOfRangeException.ThrowIfNegative(followUp);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(accrualTime);
        var oc = boundary.OperatingCharacteristicsAt(rate);
        var maxN = boundary.Looks.MaxPatients;

        // π_m = I_{τ/A}(m, N + 1 − m): the probability that at least m more patients were enrolled within τ.
        var x = Math.Min(1, followUp / accrualTime);
        var pending = new double[maxN + 1];
        for (var m = 1; m <= maxN; m++)
        {
            pending[m] = pending[m - 1] + SpecialFunctions.BetaRegularized(m, maxN + 1 - m, x);
        }

        double enrolled = 0, calendar = 0, extraToxicities = 0;
        for (var k = 0; k < boundary.Looks.Values.Count; k++)
        {
            var n = boundary.Looks.Values[k];
            var r = oc.StopProbability[k];
            enrolled += r * (n + pending[maxN - n]);
            calendar += accrualTime * n * r / (maxN + 1);
            extraToxicities += r * pending[maxN - n];
        }

        var notStopped = 1 - oc.RejectProbability;
        enrolled += maxN * notStopped;
        calendar += (accrualTime * maxN * notStopped / (maxN + 1)) + followUp;
        return new OverrunCharacteristics(rate, enrolled, calendar, oc.ExpectedToxicities + (rate * extraToxicities));
    }
}
