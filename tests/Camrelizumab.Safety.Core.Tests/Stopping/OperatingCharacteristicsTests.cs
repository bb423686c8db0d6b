using Camrelizumab.Safety.Core.Stopping;

namespace Camrelizumab.Safety.Core.Tests.Stopping;

public sealed class OperatingCharacteristicsTests
{
    [Theory]
    [InlineData(0.05)]
    [InlineData(0.2)]
    [InlineData(0.37)]
    public void Compute_AgreesWithBruteForceOverEveryOutcomePath(double rate)
    {
        // Independent check: enumerate all 2^N toxicity sequences for N = 12 looks at every patient.
        var looks = Looks.Continuous(12);
        int[] boundaries = [2, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6];

        var oc = OperatingCharacteristics.Compute(looks, boundaries, rate);

        var reject = 0.0;
        var stopAt = new double[12];
        var patients = 0.0;
        var toxicities = 0.0;
        for (var mask = 0; mask < 1 << 12; mask++)
        {
            var probability = 1.0;
            for (var i = 0; i < 12; i++)
            {
                probability *= ((mask >> i) & 1) == 1 ? rate : 1 - rate;
            }

            var s = 0;
            var stopped = false;
            for (var n = 1; n <= 12 && !stopped; n++)
            {
                s += (mask >> (n - 1)) & 1;
                if (s >= boundaries[n - 1])
                {
                    stopped = true;
                    reject += probability;
                    stopAt[n - 1] += probability;
                    patients += n * probability;
                    toxicities += s * probability;
                }
            }

            if (!stopped)
            {
                patients += 12 * probability;
                toxicities += s * probability;
            }
        }

        Assert.Equal(reject, oc.RejectProbability, 1e-12);
        Assert.Equal(patients, oc.ExpectedPatients, 1e-12);
        Assert.Equal(toxicities, oc.ExpectedToxicities, 1e-12);
        for (var k = 0; k < 12; k++)
        {
            Assert.Equal(stopAt[k], oc.StopProbability[k], 1e-12);
        }
    }
}
