using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Cog.Runtime.Slack.WebApi;

/// <summary>The Web API's typed <see cref="HttpClient"/>, registered with <see cref="IHttpClientFactory"/>, and its
/// resilience pipeline (Microsoft.Extensions.Http.Resilience), outermost first:</summary>
/// <remarks>
/// <list type="number">
/// <item>rate limits (HTTP 429, or <c>ok:false</c> with <c>ratelimited</c>): retried after <c>Retry-After</c> (bounded;
/// 1 s when absent) plus up to 250 ms of jitter, at most <see cref="SlackOptions.RateLimitRetries"/> times; the
/// method's other calls wait for the same pause (<see cref="MethodPauses"/>);</item>
/// <item>transport failures (a connection error, no answer in time, an HTTP status other than 200, an answer that is not
/// a JSON object): retried after <see cref="SlackOptions.TransientRetryDelay"/> doubling, at most
/// <see cref="SlackOptions.TransientRetries"/> times;</item>
/// <item>each attempt limited to <see cref="SlackOptions.RequestTimeout"/>, the answer's body included (it is read
/// whole inside the attempt).</item>
/// </list>
/// <para>Any other <c>ok:false</c> answer is returned, never retried, and so is a cancellation by the caller. Which
/// answers are retried is what the hand-written client retried; the tests pin that a <c>chat.postMessage</c> retried
/// after a rate limit or a transport failure posts once. The client is held by the provider (a singleton), so its
/// handler lives as long and its pooled connections are renewed every 2 minutes instead.</para>
/// </remarks>
static class SlackHttp
{
    /// <summary>The pipeline's name in Polly's and Microsoft.Extensions.Resilience's telemetry.</summary>
    public const string PipelineName = "cog-slack-web-api";

    /// <summary>Registers <see cref="SlackApiClient"/> as a typed client of <see cref="IHttpClientFactory"/>.</summary>
    public static IHttpClientBuilder AddSlackApiClient(this IServiceCollection services, SlackOptions options, TimeProvider time, ILogger logger)
    {
        var pauses = new MethodPauses(time);
        var builder = services.AddHttpClient<SlackApiClient, SlackApiClient>(http => new SlackApiClient(http, options, pauses, time))
            .ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            // The client logs its calls' failures and retries in its own words, never a token; the factory's lines for
            // every request would repeat each call at Information.
            .RemoveAllLoggers();
        builder.AddResilienceHandler(PipelineName, pipeline => Configure(pipeline, options, time, logger, pauses));
        // Inside the pipeline: every attempt reads the whole answer under its timeout, so the pipeline can look at it.
        builder.AddHttpMessageHandler(() => new ReadWholeAnswerHandler());
        return builder;
    }

    static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, SlackOptions options, TimeProvider time, ILogger logger,
        MethodPauses pauses)
    {
        pipeline.TimeProvider = time;
        pipeline.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            Name = "rate-limit",
            MaxRetryAttempts = options.RateLimitRetries,
            ShouldHandle = async args => (await ReadAsync(args.Context, args.Outcome).ConfigureAwait(false))?.RetryAfter is not null,
            // Small jitter so that many waiting callers do not all come back in the same instant.
            DelayGenerator = async args => (await ReadAsync(args.Context, args.Outcome).ConfigureAwait(false))!.Value.RetryAfter!.Value
                + TimeSpan.FromMilliseconds(250 * options.Jitter()),
            OnRetry = args =>
            {
                var method = Method(args.Context);
                pauses.Pause(method, args.RetryDelay);
                SlackLog.RateLimited(logger, method, args.RetryDelay, args.AttemptNumber + 2);
                return ValueTask.CompletedTask;
            },
        });
        pipeline.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            Name = "transport",
            MaxRetryAttempts = options.TransientRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = false,
            Delay = options.TransientRetryDelay,
            ShouldHandle = async args => (await ReadAsync(args.Context, args.Outcome).ConfigureAwait(false))?.Failure is not null,
            OnRetry = async args =>
            {
                var failure = (await ReadAsync(args.Context, args.Outcome).ConfigureAwait(false))!.Value.Failure!;
                SlackLog.Transient(logger, Method(args.Context), failure, args.RetryDelay, args.AttemptNumber + 2);
            },
        });
        pipeline.AddTimeout(options.RequestTimeout);

        ValueTask<SlackAnswer?> ReadAsync(ResilienceContext context, Outcome<HttpResponseMessage> outcome) =>
            context.CancellationToken.IsCancellationRequested ? ValueTask.FromResult<SlackAnswer?>(null) : SlackAnswer.ReadAsync(Method(context), outcome, options, time);
    }

    /// <summary>The Web API method a call is to: the last segment of its URL's path.</summary>
    static string Method(ResilienceContext context) =>
        context.GetRequestMessage()?.RequestUri is { } uri ? uri.AbsolutePath[(uri.AbsolutePath.LastIndexOf('/') + 1)..] : "?";

    /// <summary>Reads the whole answer inside the attempt: the attempt's timeout covers the body, and the pipeline and
    /// the client read it from memory.</summary>
    sealed class ReadWholeAnswerHandler : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            try
            {
                await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
                return response;
            }
            catch
            {
                response.Dispose();
                throw;
            }
        }
    }
}

/// <summary>Until when each Web API method is paused after a rate limit: its other calls wait for the same pause.</summary>
sealed class MethodPauses(TimeProvider time)
{
    readonly ConcurrentDictionary<string, DateTimeOffset> _until = new(StringComparer.Ordinal);

    public void Pause(string method, TimeSpan delay)
    {
        var until = time.GetUtcNow() + delay;
        _until.AddOrUpdate(method, until, (_, current) => current > until ? current : until);
    }

    /// <summary>Waits until <paramref name="method"/> is not paused (a pause may be extended meanwhile).</summary>
    public async Task WaitAsync(string method, CancellationToken cancellationToken)
    {
        while (_until.TryGetValue(method, out var until) && until - time.GetUtcNow() is var wait && wait > TimeSpan.Zero)
            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
    }
}
