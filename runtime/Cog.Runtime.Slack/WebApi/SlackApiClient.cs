using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cog.Runtime.Chat;
using Microsoft.Extensions.Logging;

namespace Cog.Runtime.Slack.WebApi;

/// <summary>Which token a call carries.</summary>
enum SlackToken
{
    /// <summary>The bot token (<c>xoxb-</c>): every call but one.</summary>
    Bot,

    /// <summary>The app-level token (<c>xapp-</c>): <c>apps.connections.open</c> only.</summary>
    App,
}

/// <summary>The Slack Web API: JSON bodies for write methods, query strings for read methods, the token
/// in the <c>Authorization</c> header only. HTTP 429 and <c>ratelimited</c> answers are retried after <c>Retry-After</c>
/// (bounded), and further calls to the same method wait too (a per-method gate); transport failures (connection errors,
/// timeouts, HTTP 5xx, answers that are not JSON) are retried with exponential back-off; other <c>ok:false</c> answers
/// are returned to the caller, never retried.</summary>
/// <remarks>Thread-safe. Failures after the retries are <see cref="ChatProviderException"/>s whose messages name the method
/// and the reason, never a token.</remarks>
sealed class SlackApiClient : IDisposable
{
    static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(1);
    static readonly TimeSpan LongestRetryAfter = TimeSpan.FromMinutes(15);
    static readonly MediaTypeHeaderValue JsonContentType = MediaTypeHeaderValue.Parse("application/json; charset=utf-8");

    readonly HttpClient _http;
    readonly SlackOptions _options;
    readonly Uri _baseUrl;
    readonly TimeProvider _time;
    readonly ILogger _logger;
    readonly ConcurrentDictionary<string, DateTimeOffset> _pausedUntil = new(StringComparer.Ordinal);

    public SlackApiClient(SlackOptions options, HttpMessageHandler? handler, TimeProvider time, ILogger logger)
    {
        _options = options;
        _baseUrl = options.NormalizedApiUrl;
        _time = time;
        _logger = logger;
        // Timeouts are ours (per attempt, on the injected clock), not HttpClient's.
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.Timeout = Timeout.InfiniteTimeSpan;
    }

    /// <summary>POSTs <paramref name="body"/> as JSON with the bot token (chat.postMessage, conversations.open...).</summary>
    public Task<SlackResponse> PostJsonAsync(string method, JsonObject body, CancellationToken cancellationToken)
    {
        var json = body.ToJsonString();
        return SendAsync(method, SlackToken.Bot, () => new HttpRequestMessage(HttpMethod.Post, new Uri(_baseUrl, method))
        {
            Content = new StringContent(json, Encoding.UTF8) { Headers = { ContentType = JsonContentType } },
        }, cancellationToken);
    }

    /// <summary>GETs a read method with its arguments in the query string and the bot token (users.info...).</summary>
    public Task<SlackResponse> GetAsync(string method, IReadOnlyList<KeyValuePair<string, string>> arguments, CancellationToken cancellationToken)
    {
        var query = new StringBuilder(method);
        for (var i = 0; i < arguments.Count; i++)
        {
            query.Append(i == 0 ? '?' : '&').Append(Uri.EscapeDataString(arguments[i].Key)).Append('=')
                .Append(Uri.EscapeDataString(arguments[i].Value));
        }
        var url = new Uri(_baseUrl, query.ToString());
        return SendAsync(method, SlackToken.Bot, () => new HttpRequestMessage(HttpMethod.Get, url), cancellationToken);
    }

    /// <summary>POSTs a method without arguments: <c>auth.test</c> with the bot token, <c>apps.connections.open</c> with
    /// the app token.</summary>
    public Task<SlackResponse> PostEmptyAsync(string method, SlackToken token, CancellationToken cancellationToken) =>
        SendAsync(method, token, () => new HttpRequestMessage(HttpMethod.Post, new Uri(_baseUrl, method))
        {
            Content = new FormUrlEncodedContent([]),
        }, cancellationToken);

    async Task<SlackResponse> SendAsync(string method, SlackToken token, Func<HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        var rateLimited = 0;
        var transient = 0;
        while (true)
        {
            await WaitForGateAsync(method, cancellationToken).ConfigureAwait(false);
            var attempt = await AttemptAsync(method, token, build, cancellationToken).ConfigureAwait(false);
            if (attempt.Response is { } response)
                return response;
            if (attempt.RetryAfter is { } retryAfter)
            {
                rateLimited++;
                if (rateLimited > _options.RateLimitRetries)
                    throw new ChatProviderException(SlackErrors.RateLimited(method, rateLimited));
                // Small jitter so that many waiting callers do not all come back in the same instant.
                var delay = retryAfter + TimeSpan.FromMilliseconds(250 * _options.Jitter());
                Pause(method, delay);
                SlackLog.RateLimited(_logger, method, delay, rateLimited + 1);
                continue;
            }
            transient++;
            if (transient > _options.TransientRetries)
                throw new ChatProviderException(SlackErrors.Unreachable(method, attempt.Failure!));
            var backoff = _options.TransientRetryDelay * Math.Pow(2, transient - 1);
            SlackLog.Transient(_logger, method, attempt.Failure!, backoff, transient + 1);
            await Task.Delay(backoff, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    async Task<Attempt> AttemptAsync(string method, SlackToken token, Func<HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        using var request = build();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token == SlackToken.App ? _options.AppToken : _options.BotToken);
        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var answer = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token).ConfigureAwait(false);
            if (answer.StatusCode == HttpStatusCode.TooManyRequests)
                return Attempt.RateLimited(RetryAfter(answer));
            if (answer.StatusCode != HttpStatusCode.OK)
                return Attempt.Failed($"HTTP {(int)answer.StatusCode}");
            var bytes = await answer.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
            JsonElement root;
            try
            {
                using var document = JsonDocument.Parse(bytes);
                root = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                return Attempt.Failed("the answer was not JSON");
            }
            if (root.ValueKind != JsonValueKind.Object)
                return Attempt.Failed("the answer was not a JSON object");
            var response = new SlackResponse(method, root);
            if (!response.Ok && response.Error is "ratelimited" or "rate_limited")
                return Attempt.RateLimited(RetryAfter(answer));
            return new Attempt(response, null, null);
        }
        catch (HttpRequestException e)
        {
            return Attempt.Failed(e.HttpRequestError == HttpRequestError.Unknown ? e.Message : e.HttpRequestError.ToString());
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Attempt.Failed($"no answer within {_options.RequestTimeout.TotalSeconds:0.###} s");
        }
    }

    /// <summary><c>Retry-After</c> as delta seconds or an HTTP date; 1 s when absent or unusable.</summary>
    TimeSpan RetryAfter(HttpResponseMessage answer)
    {
        var header = answer.Headers.RetryAfter;
        var delay = header?.Delta ?? (header?.Date is { } date ? date - _time.GetUtcNow() : DefaultRetryAfter);
        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay > LongestRetryAfter ? LongestRetryAfter : delay;
    }

    void Pause(string method, TimeSpan delay)
    {
        var until = _time.GetUtcNow() + delay;
        _pausedUntil.AddOrUpdate(method, until, (_, current) => current > until ? current : until);
    }

    async Task WaitForGateAsync(string method, CancellationToken cancellationToken)
    {
        while (_pausedUntil.TryGetValue(method, out var until))
        {
            var wait = until - _time.GetUtcNow();
            if (wait <= TimeSpan.Zero)
                return;
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => _http.Dispose();

    readonly record struct Attempt(SlackResponse? Response, TimeSpan? RetryAfter, string? Failure)
    {
        public static Attempt RateLimited(TimeSpan retryAfter) => new(null, retryAfter, null);

        public static Attempt Failed(string reason) => new(null, null, reason);
    }
}
