using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Time.Testing;
using Polly;

namespace Cog.Resilience.Tests;

/// <summary>The one back-off every reconnect and retry runs through: its delays, its jitter's bounds, giving up,
/// cancellation and its telemetry, on a fake clock.</summary>
public sealed class BackoffTests
{
    static CancellationToken Token => TestContext.Current.CancellationToken;

    static readonly BackoffOptions OneToSixty = new() { Delay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(60) };

    /// <summary>Runs the pipeline with every attempt failing until <paramref name="succeedOn"/> (1-based), moving the fake
    /// clock on while it waits; the delays it chose, in order.</summary>
    static async Task<(Outcome<bool> Outcome, List<TimeSpan> Delays, int Attempts)> RunAsync(BackoffOptions options, int succeedOn,
        string name = "test.backoff")
    {
        var time = new FakeTimeProvider();
        var delays = new List<TimeSpan>();
        var pipeline = Backoff.Pipeline<bool>(name, options, time, static args => args.Outcome.Result is false,
            args =>
            {
                delays.Add(args.RetryDelay);
                return ValueTask.CompletedTask;
            });
        var execution = pipeline.ExecuteOutcomeAsync(static (ctx, state) =>
        {
            state.attempts[0]++;
            return ValueTask.FromResult(Outcome.FromResult(state.attempts[0] >= state.succeedOn));
        }, ResilienceContextPool.Shared.Get(Token), (attempts: new int[1], succeedOn)).AsTask();
        for (var i = 0; i < 100_000 && !execution.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
        }
        var outcome = await execution;
        return (outcome, delays, delays.Count + 1);
    }

    [Fact]
    public async Task Without_jitter_the_delay_doubles_from_the_first_up_to_the_maximum()
    {
        var (outcome, delays, _) = await RunAsync(OneToSixty with { UseJitter = false }, succeedOn: 10);

        Assert.True(outcome.Result);
        Assert.Equal([1, 2, 4, 8, 16, 32, 60, 60, 60], delays.Select(d => d.TotalSeconds));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.25)]
    [InlineData(0.5)]
    [InlineData(0.75)]
    [InlineData(0.999)]
    public async Task Jittered_delays_stay_between_zero_and_the_maximum_and_grow_about_exponentially(double random)
    {
        var (_, delays, _) = await RunAsync(OneToSixty with { Randomizer = () => random }, succeedOn: 16);

        Assert.Equal(15, delays.Count);
        Assert.All(delays, d => Assert.InRange(d, TimeSpan.Zero, TimeSpan.FromSeconds(60)));
        // The first delay is spread around the configured one (never more than about 1.4 times it) ...
        Assert.InRange(delays[0], TimeSpan.Zero, TimeSpan.FromSeconds(1.4));
        // ... and after enough failures every delay is the maximum's, not the first one's.
        Assert.All(delays.Skip(10), d => Assert.True(d > TimeSpan.FromSeconds(10), d.ToString()));
    }

    [Fact]
    public async Task Jitter_spreads_the_clients_that_failed_together()
    {
        var first = (await RunAsync(OneToSixty with { Randomizer = () => 0.1 }, succeedOn: 4)).Delays;
        var second = (await RunAsync(OneToSixty with { Randomizer = () => 0.9 }, succeedOn: 4)).Delays;

        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task After_the_last_retry_the_last_outcome_is_returned()
    {
        var (outcome, delays, attempts) = await RunAsync(OneToSixty with { MaxRetries = 3 }, succeedOn: int.MaxValue);

        Assert.False(outcome.Result);
        Assert.Equal(3, delays.Count);
        Assert.Equal(4, attempts);
    }

    [Fact]
    public async Task Cancellation_during_a_delay_stops_the_retries_with_an_operation_canceled_exception()
    {
        var time = new FakeTimeProvider();
        var attempts = 0;
        var pipeline = Backoff.Pipeline<bool>("test.cancel", OneToSixty, time, static args => args.Outcome.Result is false);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);

        var execution = pipeline.ExecuteAsync(_ =>
        {
            attempts++;
            return ValueTask.FromResult(false);
        }, cancel.Token).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => execution);
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task An_exception_that_is_a_failure_is_retried_and_one_that_is_not_ends_the_execution()
    {
        var time = new FakeTimeProvider();
        var attempts = 0;
        var pipeline = Backoff.Pipeline<bool>("test.exceptions", OneToSixty, time, static args => args.Outcome.Exception is IOException);

        var execution = pipeline.ExecuteAsync<bool>(_ => ++attempts switch
        {
            1 => throw new IOException("refused"),
            _ => throw new InvalidOperationException("a bug"),
        }, Token).AsTask();
        time.Advance(TimeSpan.FromSeconds(60));

        await Assert.ThrowsAsync<InvalidOperationException>(() => execution);
        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task The_pause_after_a_lost_connection_is_the_first_delay_on_the_components_clock()
    {
        var time = new FakeTimeProvider();

        var pause = OneToSixty.PauseAfterLossAsync(time, Token);
        time.Advance(TimeSpan.FromMilliseconds(999));
        var early = pause.IsCompleted;
        time.Advance(TimeSpan.FromMilliseconds(1));
        await pause;

        Assert.False(early);
    }

    [Fact]
    public async Task Every_retry_is_counted_on_pollys_meter_with_the_pipeline_name()
    {
        var events = new ConcurrentQueue<(string Event, string Pipeline)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == Backoff.MeterName && instrument.Name == "resilience.polly.strategy.events")
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<int>((_, _, tags, _) =>
        {
            string? eventName = null, pipeline = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "event.name")
                    eventName = tag.Value as string;
                else if (tag.Key == "pipeline.name")
                    pipeline = tag.Value as string;
            }
            if (pipeline == "test.telemetry")
                events.Enqueue((eventName ?? "", pipeline));
        });
        listener.Start();

        await RunAsync(OneToSixty, succeedOn: 3, name: "test.telemetry");

        Assert.Equal(2, events.Count(e => e.Event == "OnRetry"));
    }
}
