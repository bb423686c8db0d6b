using Azure.Storage.Blobs;
using Camrelizumab.Safety.Runner.Hosting;
using Camrelizumab.Safety.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Camrelizumab.Safety.Runner.Tests.Hosting;

public sealed class ScheduledTimerTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TickAsync_FirstStart_SchedulesWithoutRunning_ThenRunsAtTheOccurrence()
    {
        var (timer, time, runs) = await ArrangeAsync("0 0 * * * *", new DateTimeOffset(2026, 11, 24, 8, 30, 0, TimeSpan.Zero));

        Assert.False(await timer.TickAsync(Ct));
        time.Advance(TimeSpan.FromMinutes(29));
        Assert.False(await timer.TickAsync(Ct));
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await timer.TickAsync(Ct));

        Assert.Equal([new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero)], runs);
    }

    [Fact]
    public async Task TickAsync_AfterMissedOccurrences_CatchesUpOnce()
    {
        var (timer, time, runs) = await ArrangeAsync("0 0 * * * *", new DateTimeOffset(2026, 11, 24, 8, 30, 0, TimeSpan.Zero));
        await timer.TickAsync(Ct);

        // The runner was down from 08:30 to 12:10: the 09:00, 10:00, 11:00 and 12:00 occurrences were missed.
        time.Advance(TimeSpan.FromMinutes(220));
        Assert.True(await timer.TickAsync(Ct));
        Assert.False(await timer.TickAsync(Ct));
        time.Advance(TimeSpan.FromMinutes(50));
        Assert.True(await timer.TickAsync(Ct));

        Assert.Equal(
            [new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 24, 13, 0, 0, TimeSpan.Zero)],
            runs);
    }

    [Fact]
    public async Task TickAsync_WhenAnotherInstanceHoldsTheLease_DoesNotRun()
    {
        var (timer, time, runs) = await ArrangeAsync("0 */5 * * * *", new DateTimeOffset(2026, 11, 24, 8, 0, 30, TimeSpan.Zero), out var runtime);
        await timer.TickAsync(Ct);
        time.Advance(TimeSpan.FromMinutes(5));
        var other = runtime.GetBlobClient("locks/Job");
        await other.UploadAsync(BinaryData.Empty, overwrite: true, Ct);
        var lease = Azure.Storage.Blobs.Specialized.SpecializedBlobExtensions.GetBlobLeaseClient(other);
        await lease.AcquireAsync(TimeSpan.FromSeconds(60), cancellationToken: Ct);

        Assert.False(await timer.TickAsync(Ct));
        await lease.ReleaseAsync(cancellationToken: Ct);
        Assert.True(await timer.TickAsync(Ct));

        Assert.Single(runs);
    }

    [Fact]
    public async Task TickAsync_AfterTheScheduleChanged_CountsFromNowUnderTheNewSchedule()
    {
        // Weekly on Mondays 06:00, first started on a Tuesday: the stored next occurrence is six days away.
        var (weekly, time, runs) = await ArrangeAsync("0 0 6 * * 1", new DateTimeOffset(2026, 11, 24, 8, 30, 0, TimeSpan.Zero), out var runtime);
        await weekly.TickAsync(Ct);

        // Restarted with an hourly schedule: it runs at 09:00 the same day, not after next Monday.
        var hourly = new ScheduledTimer("Job", "0 0 * * * *", (scheduled, _) => { runs.Add(scheduled); return Task.CompletedTask; }, runtime, time, NullLogger.Instance);
        Assert.False(await hourly.TickAsync(Ct));
        time.Advance(TimeSpan.FromMinutes(30));
        Assert.True(await hourly.TickAsync(Ct));

        Assert.Equal([new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero)], runs);
    }

    [Fact]
    public async Task TickAsync_AfterAFailedRun_WaitsOutABackOff_ThenRetriesTheSameOccurrence()
    {
        var (_, time, _) = await ArrangeAsync("0 0 * * * *", new DateTimeOffset(2026, 11, 24, 8, 30, 0, TimeSpan.Zero), out var runtime);
        var attempts = new List<(DateTimeOffset Scheduled, DateTimeOffset At)>();
        var failing = true;
        var timer = new ScheduledTimer("Job", "0 0 * * * *", (scheduled, _) =>
        {
            attempts.Add((scheduled, time.GetUtcNow()));
            return failing ? throw new InvalidOperationException("An item with the same key has already been added.") : Task.CompletedTask;
        }, runtime, time, NullLogger.Instance);
        await timer.TickAsync(Ct);
        time.Advance(TimeSpan.FromMinutes(30));

        // Polled every 2 seconds for 10 minutes while the run keeps failing: tried after 0, 1, 2 and 4 minutes (then 8).
        for (var poll = 0; poll < 300; poll++)
        {
            try
            {
                await timer.TickAsync(Ct);
            }
            catch (InvalidOperationException)
            {
                // The run failed, as arranged; the runner logs it and polls on.
            }

            time.Advance(TimeSpan.FromSeconds(2));
        }

        var nine = new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);
        Assert.Equal([0.0, 1, 3, 7], attempts.Select(a => (a.At - nine).TotalMinutes));
        Assert.All(attempts, a => Assert.Equal(nine, a.Scheduled));

        // Fixed: the next retry runs the 09:00 occurrence, then the schedule resumes at 10:00.
        failing = false;
        time.Advance(TimeSpan.FromMinutes(6));
        Assert.True(await timer.TickAsync(Ct));
        Assert.Equal(nine, attempts[^1].Scheduled);
        Assert.False(await timer.TickAsync(Ct));
    }

    private Task<(ScheduledTimer Timer, FakeTimeProvider Time, List<DateTimeOffset> Runs)> ArrangeAsync(string schedule, DateTimeOffset start) =>
        ArrangeAsync(schedule, start, out _);

    private Task<(ScheduledTimer Timer, FakeTimeProvider Time, List<DateTimeOffset> Runs)> ArrangeAsync(string schedule, DateTimeOffset start, out BlobContainerClient runtime)
    {
        var container = new BlobContainerClient(azurite.ConnectionString, "runtime-" + AzuriteFixture.NewSuffix());
        runtime = container;
        var time = new FakeTimeProvider(start);
        var runs = new List<DateTimeOffset>();
        var timer = new ScheduledTimer("Job", schedule, (scheduled, _) => { runs.Add(scheduled); return Task.CompletedTask; }, container, time, NullLogger.Instance);
        return CreateAsync();

        async Task<(ScheduledTimer, FakeTimeProvider, List<DateTimeOffset>)> CreateAsync()
        {
            await container.CreateAsync(cancellationToken: Ct);
            return (timer, time, runs);
        }
    }
}
