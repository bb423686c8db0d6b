using System.Globalization;

namespace Camrelizumab.Safety.Core.Stopping;

/// <summary>
/// Monte Carlo operating characteristics of a boundary monitored in calendar time, at one true rate
/// (<see cref="CalendarTimeSimulation"/>): the probability that a crossing is ever declared, and when.
/// </summary>
/// <param name="CrossingProbability">The fraction of simulated trials in which a crossing was declared.</param>
/// <param name="StandardError">Its Monte Carlo standard error, √(P(1 − P)/trials).</param>
/// <param name="MeanTimeToCrossing">Mean calendar time from the start of accrual to the declared crossing, among trials that crossed (units of the accrual time); <c>null</c> when none crossed.</param>
/// <param name="MeanTimeToCrossingError">Its Monte Carlo standard error.</param>
public sealed record CalendarTimeCharacteristics(
    double Rate,
    EvaluationOrder Order,
    int Trials,
    int Seed,
    double CrossingProbability,
    double StandardError,
    double? MeanTimeToCrossing,
    double? MeanTimeToCrossingError)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"p = {Rate}: P(cross) = {CrossingProbability:0.0000} ± {StandardError:0.0000} ({Trials} trials, seed {Seed}, {Order} order)");
}
