using Polly;
using Polly.Retry;
using Polly.Telemetry;

namespace Cog.Resilience;

/// <summary>Builds the retry pipeline every reconnect, restart and retry in Cog runs through: a Polly v8 retry with
/// exponential, capped, jittered back-off (<see cref="BackoffOptions"/>), waiting on the component's
/// <see cref="TimeProvider"/> (so a <c>FakeTimeProvider</c> drives it in tests), with Polly's telemetry on.</summary>
/// <remarks>
/// <para>An attempt is retried when <c>isFailure</c> says so; an <see cref="OperationCanceledException"/> raised
/// because the execution's token was cancelled never is: cancellation stops the pipeline at once, during an attempt or
/// a delay, and the execution ends with that exception. When the retries are exhausted the last outcome is returned
/// (or its exception thrown), as Polly does.</para>
/// <para>Telemetry: every retry is a <c>resilience.polly.strategy.events</c> count (event <c>OnRetry</c>) on Polly's
/// meter <c>Polly</c>, tagged with the pipeline's name (<c>pipeline.name</c>). The components log each retry
/// themselves, in their own words, through <c>onRetry</c>; Polly's own log lines are off.</para>
/// </remarks>
public static class Backoff
{
    /// <summary>The name of the meter Polly reports retries on.</summary>
    public const string MeterName = "Polly";

    /// <summary>Waits <see cref="BackoffOptions.Delay"/> once: what a component does after losing a connection it had,
    /// before connecting again through its pipeline, so that a connection lost as soon as it is made (another process
    /// took the session over) never reconnects in a tight loop. Throws <see cref="OperationCanceledException"/> when
    /// <paramref name="cancellationToken"/> is cancelled.</summary>
    public static Task PauseAfterLossAsync(this BackoffOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        return Task.Delay(options.Delay, time, cancellationToken);
    }

    /// <summary>A retry pipeline named <paramref name="name"/> (the <c>pipeline.name</c> tag of its telemetry).</summary>
    /// <param name="name">What retries, e.g. <c>cog.relay.reconnect</c>.</param>
    /// <param name="options">The back-off of this use.</param>
    /// <param name="time">The clock the delays wait on.</param>
    /// <param name="isFailure">Whether an attempt's outcome is a failure to retry (called with the retry's
    /// arguments, so a use can also look at its context, e.g. a deadline).</param>
    /// <param name="onRetry">Called before each delay with the outcome and the delay (for the component's log).</param>
    public static ResiliencePipeline<T> Pipeline<T>(string name, BackoffOptions options, TimeProvider time,
        Func<RetryPredicateArguments<T>, bool> isFailure, Func<OnRetryArguments<T>, ValueTask>? onRetry = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(isFailure);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Delay, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxDelay, options.Delay, nameof(options));
        var retry = new RetryStrategyOptions<T>
        {
            Name = "backoff",
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = options.UseJitter,
            Delay = options.Delay,
            MaxDelay = options.MaxDelay,
            MaxRetryAttempts = options.MaxRetries ?? int.MaxValue,
            ShouldHandle = args => ValueTask.FromResult(
                !(args.Outcome.Exception is OperationCanceledException && args.Context.CancellationToken.IsCancellationRequested)
                && isFailure(args)),
            OnRetry = onRetry,
        };
        if (options.Randomizer is { } randomizer)
            retry.Randomizer = randomizer;
        return new ResiliencePipelineBuilder<T> { Name = name, TimeProvider = time }
            .AddRetry(retry)
            .ConfigureTelemetry(new TelemetryOptions())
            .Build();
    }
}
