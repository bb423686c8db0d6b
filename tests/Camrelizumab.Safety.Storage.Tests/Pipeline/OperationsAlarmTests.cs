using Camrelizumab.Safety.Core.Stopping;
using Camrelizumab.Safety.Storage.Mail;
using Camrelizumab.Safety.Storage.Pipeline;
using Camrelizumab.Safety.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Camrelizumab.Safety.Storage.Tests.Pipeline;

public sealed class OperationsAlarmTests(AzuriteFixture azurite)
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ATimerStepFailingOnThreeHosts_TellsTheOperatorsOnce_AndOnceWhenItRecovers()
    {
        var store = await azurite.CreateStoreAsync(_time, Ct);
        var transport = new RecordingTransport();
        var mail = new MailOptions { From = PipelineFactory.Mail.From, Recipients = { ["operators"] = ["ops@example.org"] } };
        var hosts = Enumerable.Range(0, 3)
            .Select(i => i == 0 ? store : azurite.OtherHost(store, _time))
            .Select(s => (Pipeline: new PipelineFactory(s, _time, transport), Store: s))
            .Select(h => (h.Pipeline, Alarm: new OperationsAlarm(h.Store, h.Pipeline.Notifier(), mail, SafetyRules.LoadDefaults(), _time, NullLogger<OperationsAlarm>.Instance)))
            .ToList();
        Task<int> Failing(CancellationToken _) => throw new InvalidOperationException("An item with the same key has already been added. Key: S04-0052");

        // Every host's evaluation fails, five runs each, all at once.
        await Task.WhenAll(hosts.Select(async h =>
        {
            for (var run = 0; run < 5; run++)
            {
                await Assert.ThrowsAsync<InvalidOperationException>(() => h.Alarm.WatchAsync("EvaluateStoppingRules", Failing, Ct));
            }
        }));
        await hosts[1].Pipeline.DeliverAsync();
        var failing = Assert.Single(transport.Sent);
        Assert.Equal("[CAMREL-RT-EC2] OPERATIONS: EvaluateStoppingRules is failing", failing.Subject);
        Assert.Contains("An item with the same key has already been added.", failing.TextBody, StringComparison.Ordinal);

        // Fixed: the first success closes the run of failures; later successes say nothing.
        _time.Advance(TimeSpan.FromMinutes(20));
        await Task.WhenAll(hosts.Select(h => h.Alarm.WatchAsync("EvaluateStoppingRules", _ => Task.FromResult(1), Ct)));
        await hosts[2].Pipeline.DeliverAsync();
        Assert.Equal(2, transport.Sent.Count);
        Assert.Equal("[CAMREL-RT-EC2] OPERATIONS: EvaluateStoppingRules is running again", transport.Sent[1].Subject);
        Assert.Contains("after 15 failed run(s)", transport.Sent[1].TextBody, StringComparison.Ordinal);

        // A new failure later is a new run of failures: told again.
        _time.Advance(TimeSpan.FromHours(1));
        await Assert.ThrowsAsync<InvalidOperationException>(() => hosts[0].Alarm.WatchAsync("EvaluateStoppingRules", Failing, Ct));
        await hosts[0].Pipeline.DeliverAsync();
        Assert.Equal(3, transport.Sent.Count);
    }
}
