namespace Camrelizumab.Safety.Core.Stopping;

/// <summary>
/// Simulates a boundary monitored in calendar time: N = the last look's subjects enrolled uniformly over (0, A); each has
/// the event with probability p, at a time uniform within its window (enrolment, enrolment + τ); a subject without the
/// event is evaluated when its window closes. The rule is watched continuously until every window has closed.
/// </summary>
/// <remarks>
/// In <see cref="EvaluationOrder.Enrolment"/> order look n crosses at the time the b_n-th event among the first n
/// enrolled occurs; the declared crossing is the earliest of these. Once every window has closed the known events are
/// the complete enrolment-order path, so the crossing probability equals the exact R(p) of the boundary, and this
/// simulation checks that equality; what it adds is the time of the crossing. In
/// <see cref="EvaluationOrder.BecameEvaluable"/> order the path is built by evaluation time instead, and the first
/// prefix that reaches a boundary crosses at the time its last subject became evaluable.
/// </remarks>
public static class CalendarTimeSimulation
{
    /// <summary>One simulated trial: N subjects in enrolment order.</summary>
    public static SimulatedSubject[] Trial(Random random, int subjects, double rate, double accrualTime, double window)
    {
        ArgumentNullException.ThrowIfNull(random);
        var enrolment = new double[subjects];
        for (var i = 0; i < subjects; i++)
        {
            enrolment[i] = random.NextDouble() * accrualTime;
        }

        Array.Sort(enrolment);
        var trial = new SimulatedSubject[subjects];
        for (var i = 0; i < subjects; i++)
        {
            var toxic = random.NextDouble() < rate;
            var onset = random.NextDouble() * window;
            trial[i] = new SimulatedSubject(enrolment[i], toxic ? enrolment[i] + onset : null);
        }

        return trial;
    }

    /// <summary>The calendar time at which the rule declares a crossing on one simulated trial, or <c>null</c> if it never does.</summary>
    public static double? CrossingTime(StoppingBoundary boundary, IReadOnlyList<SimulatedSubject> trial, double window, EvaluationOrder order)
    {
        ArgumentNullException.ThrowIfNull(boundary);
        ArgumentNullException.ThrowIfNull(trial);
        return order == EvaluationOrder.Enrolment ? EnrolmentOrderCrossing(boundary, trial) : EvaluableOrderCrossing(boundary, trial, window);
    }

    /// <param name="accrualTime">A, the time to enrol all N subjects.</param>
    /// <param name="window">τ, each subject's evaluation window.</param>
    public static CalendarTimeCharacteristics Simulate(StoppingBoundary boundary, double rate, double accrualTime, double window, EvaluationOrder order, int trials, int seed)
    {
        ArgumentNullException.ThrowIfNull(boundary);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(accrualTime);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(window);
        ArgumentOutOfRangeException.ThrowIfLessThan(trials, 2);
        var random = new Random(seed);
        var crossed = 0;
        double sum = 0, sumSquares = 0;
        for (var t = 0; t < trials; t++)
        {
            var trial = Trial(random, boundary.Looks.MaxPatients, rate, accrualTime, window);
            if (boundary.Feasible && CrossingTime(boundary, trial, window, order) is { } time)
            {
                crossed++;
                sum += time;
                sumSquares += time * time;
            }
        }

        var p = (double)crossed / trials;
        double? mean = crossed == 0 ? null : sum / crossed;
        double? meanError = crossed < 2 ? null : Math.Sqrt(Math.Max(0, sumSquares - (crossed * mean!.Value * mean.Value)) / (crossed - 1) / crossed);
        return new CalendarTimeCharacteristics(rate, order, trials, seed, p, Math.Sqrt(p * (1 - p) / trials), mean, meanError);
    }

    private static double? EnrolmentOrderCrossing(StoppingBoundary boundary, IReadOnlyList<SimulatedSubject> trial)
    {
        var onsets = new List<double>();
        double? earliest = null;
        var look = 0;
        for (var n = 1; n <= trial.Count && look < boundary.Looks.Values.Count; n++)
        {
            if (trial[n - 1].Onset is { } onset)
            {
                var at = onsets.BinarySearch(onset);
                onsets.Insert(at < 0 ? ~at : at, onset);
            }

            if (boundary.Looks.Values[look] != n)
            {
                continue;
            }

            var b = boundary.Boundaries[look++];
            if (b <= n && onsets.Count >= b && (earliest is null || onsets[b - 1] < earliest))
            {
                earliest = onsets[b - 1];
            }
        }

        return earliest;
    }

    private static double? EvaluableOrderCrossing(StoppingBoundary boundary, IReadOnlyList<SimulatedSubject> trial, double window)
    {
        var evaluated = trial.Select(s => (Time: s.Onset ?? s.Enrolled + window, Event: s.Onset is not null)).OrderBy(s => s.Time).ToList();
        var events = 0;
        var look = 0;
        for (var n = 1; n <= evaluated.Count && look < boundary.Looks.Values.Count; n++)
        {
            events += evaluated[n - 1].Event ? 1 : 0;
            if (boundary.Looks.Values[look] != n)
            {
                continue;
            }

            var b = boundary.Boundaries[look++];
            if (b <= n && events >= b)
            {
                return evaluated[n - 1].Time;
            }
        }

        return null;
    }
}
