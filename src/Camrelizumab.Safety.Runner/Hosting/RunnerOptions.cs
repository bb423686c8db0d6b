namespace Camrelizumab.Safety.Runner.Hosting;

/// <summary>How the local runner polls and schedules. Binds to the <c>Runner</c> configuration section.</summary>
/// <remarks>Schedules are six-field NCRONTAB expressions in UTC, the format of the Functions TimerTrigger.</remarks>
public sealed class RunnerOptions
{
    public const string SectionName = "Runner";

    /// <summary>How often the inbox is listed and the outbox delivered. Half a second: a drop is picked up, and an
    /// expedited alert sent, within about a second; each poll is one listing of the inbox (and of the outbox's pending rows).</summary>
    public double PollSeconds { get; set; } = 0.5;

    /// <summary>First retry delay after a failed ingest; doubles per failure, at most 5 minutes.</summary>
    public double RetryBaseSeconds { get; set; } = 2;

    /// <summary>Hourly by default.</summary>
    public string EvaluateStoppingRulesSchedule { get; set; } = "0 0 * * * *";

    /// <summary>Weekly, Monday 06:00 UTC, by default.</summary>
    public string PublishDsmbSummarySchedule { get; set; } = "0 0 6 * * 1";
}
