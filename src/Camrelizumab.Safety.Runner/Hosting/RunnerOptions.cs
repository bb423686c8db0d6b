namespace Camrelizumab.Safety.Runner.Hosting;

/// <summary>How the local runner polls and schedules. Binds to the <c>Runner</c> configuration section.</summary>
/// <remarks>Schedules are six-field NCRONTAB expressions in UTC, the format of the Functions TimerTrigger.</remarks>
public sealed class RunnerOptions
{
    public const string SectionName = "Runner";

    public double PollSeconds { get; set; } = 2;

    /// <summary>First retry delay after a failed ingest; doubles per failure, at most 5 minutes.</summary>
    public double RetryBaseSeconds { get; set; } = 2;

    /// <summary>Hourly by default.</summary>
    public string EvaluateStoppingRulesSchedule { get; set; } = "0 0 * * * *";

    /// <summary>Weekly, Monday 06:00 UTC, by default.</summary>
    public string PublishDsmbSummarySchedule { get; set; } = "0 0 6 * * 1";
}
