using Camrelizumab.Safety.Core.Stopping;

namespace Camrelizumab.Safety.Core.Tests.Stopping;

public sealed class OverrunCharacteristicsTests
{
    private static readonly StoppingBoundary Rule = PocockBoundary.Calibrate(0.20m, 0.10m, Looks.Continuous(30));

    [Fact]
    public void Compute_NoFollowUpDelay_NothingIsPending()
    {
        var oc = Rule.OperatingCharacteristicsAt(0.35);

        var overrun = OverrunCharacteristics.Compute(Rule, 0.35, followUp: 0, accrualTime: 24);

        Assert.Equal(oc.ExpectedPatients, overrun.ExpectedEnrolled, 1e-12);
        Assert.Equal(oc.ExpectedToxicities, overrun.ExpectedToxicitiesIncludingPending, 1e-12);
    }

    [Fact]
    public void Compute_FollowUpLongerThanAccrual_EveryoneIsEnrolled()
    {
        var overrun = OverrunCharacteristics.Compute(Rule, 0.35, followUp: 30, accrualTime: 24);

        Assert.Equal(30, overrun.ExpectedEnrolled, 1e-9);
    }

    [Fact]
    public void Compute_AgreesWithSimulationOfUniformAccrual()
    {
        // Monte Carlo of the model's own assumptions: N uniform enrolment times on (0, A), each result known τ later,
        // results in enrolment order; the rule stops at the first crossing and counts who was enrolled by then.
        const double tau = 3, accrual = 24, p = 0.35;
        var random = new Random(7);
        double enrolled = 0, calendar = 0;
        const int runs = 200_000;
        for (var run = 0; run < runs; run++)
        {
            var times = Enumerable.Range(0, 30).Select(_ => random.NextDouble() * accrual).Order().ToArray();
            var s = 0;
            var stopTime = times[^1] + tau;
            for (var n = 1; n <= 30; n++)
            {
                s += random.NextDouble() < p ? 1 : 0;
                if (s >= Rule.Boundaries[n - 1])
                {
                    stopTime = times[n - 1] + tau;
                    break;
                }
            }

            enrolled += times.Count(t => t <= stopTime);
            calendar += stopTime;
        }

        var exact = OverrunCharacteristics.Compute(Rule, p, tau, accrual);

        Assert.Equal(enrolled / runs, exact.ExpectedEnrolled, 0.05);
        Assert.Equal(calendar / runs, exact.ExpectedCalendarTime, 0.05);
    }
}
