using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Cog.Runtime.Chat;
using Polly;
using Polly.Timeout;

namespace Cog.Runtime.Slack.WebApi;

/// <summary>Which token a call carries.</summary>
enum SlackToken
{
    /// <summary>The bot token (<c>xoxb-</c>): every call but one.</summary>
    Bot,

    /// <summary>The app-level token (<c>xapp-</c>): <c>apps.connections.open</c> only.</summary>
    App,
}

/// <summary>The Slack Web API: JSON bodies for write methods, query strings for read methods, the token in the
/// <c>Authorization</c> header only. A typed client of <see cref="IHttpClientFactory"/> whose retries (rate limits after
/// <c>Retry-After</c>, transport failures with back-off, a timeout per attempt) are the resilience pipeline of
/// <see cref="SlackHttp"/>; other <c>ok:false</c> answers are returned to the caller, never retried.</summary>
/// <remarks>Thread-safe. Failures after the retries are <see cref="ChatProviderException"/>s whose messages name the method
/// and the reason, never a token.</remarks>
sealed class SlackApiClient(HttpClient http, SlackOptions options, MethodPauses pauses, TimeProvider time)
{
    static readonly MediaTypeHeaderValue JsonContentType = MediaTypeHeaderValue.Parse("application/json; charset=utf-8");

    readonly Uri _baseUrl = options.NormalizedApiUrl;

    /// <summary>POSTs <paramref name="body"/> as JSON with the bot token (chat.postMessage, conversations.open...).</summary>
    public Task<SlackResponse> PostJsonAsync(string method, JsonObject body, CancellationToken cancellationToken) =>
        SendAsync(method, SlackToken.Bot, new HttpRequestMessage(HttpMethod.Post, new Uri(_baseUrl, method))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8) { Headers = { ContentType = JsonContentType } },
        }, cancellationToken);

    /// <summary>GETs a read method with its arguments in the query string and the bot token (users.info...).</summary>
    public Task<SlackResponse> GetAsync(string method, IReadOnlyList<KeyValuePair<string, string>> arguments, CancellationToken cancellationToken)
    {
        var query = new StringBuilder(method);
        for (var i = 0; i < arguments.Count; i++)
        {
            query.Append(i == 0 ? '?' : '&').Append(Uri.EscapeDataString(arguments[i].Key)).Append('=')
                .Append(Uri.EscapeDataString(arguments[i].Value));
        }
        return SendAsync(method, SlackToken.Bot, new HttpRequestMessage(HttpMethod.Get, new Uri(_baseUrl, query.ToString())), cancellationToken);
    }

    /// <summary>POSTs a method without arguments: <c>auth.test</c> with the bot token, <c>apps.connections.open</c> with
    /// the app token.</summary>
    public Task<SlackResponse> PostEmptyAsync(string method, SlackToken token, CancellationToken cancellationToken) =>
        SendAsync(method, token, new HttpRequestMessage(HttpMethod.Post, new Uri(_baseUrl, method)) { Content = new FormUrlEncodedContent([]) },
            cancellationToken);

    async Task<SlackResponse> SendAsync(string method, SlackToken token, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var sent = request;
        await pauses.WaitAsync(method, cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token == SlackToken.App ? options.AppToken : options.BotToken);
        Outcome<HttpResponseMessage> outcome;
        try
        {
            outcome = Outcome.FromResult(await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is HttpRequestException or TimeoutRejectedException)
        {
            outcome = Outcome.FromException<HttpResponseMessage>(e);
        }
        using var answer = outcome.Result;
        // What the pipeline gave up on: the last attempt's answer.
        return await SlackAnswer.ReadAsync(method, outcome, options, time).ConfigureAwait(false) switch
        {
            { Response: { } response } => response,
            { RetryAfter: not null } => throw new ChatProviderException(SlackErrors.RateLimited(method, options.RateLimitRetries + 1)),
            { Failure: { } failure } => throw new ChatProviderException(SlackErrors.Unreachable(method, failure)),
            _ => throw new InvalidOperationException("An outcome that is neither an answer nor a transport failure reached the Slack client."),
        };
    }
}
