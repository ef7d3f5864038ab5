using System.Net;
using System.Text.Json;
using Polly;
using Polly.Timeout;

namespace Cog.Runtime.Slack.WebApi;

/// <summary>What one HTTP exchange with the Web API came to: a <see cref="SlackResponse"/> (<c>ok</c> or a refusal the
/// caller handles), a rate limit (HTTP 429 or a <c>ratelimited</c> error, with how long to wait), or a transport
/// failure worth retrying (a connection error, no answer within the timeout, an HTTP status other than 200, an answer
/// that is not a JSON object), with its reason. The one reading of an answer: the resilience pipeline decides on it
/// and the client returns or throws from it.</summary>
readonly record struct SlackAnswer(SlackResponse? Response, TimeSpan? RetryAfter, string? Failure)
{
    static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(1);
    static readonly TimeSpan LongestRetryAfter = TimeSpan.FromMinutes(15);

    /// <summary>Reads an attempt's outcome; the answer's body has been read whole already (<see cref="SlackHttp"/>).
    /// A cancellation by the caller is none of these: it is left to end the call.</summary>
    public static async ValueTask<SlackAnswer?> ReadAsync(string method, Outcome<HttpResponseMessage> outcome, SlackOptions options, TimeProvider time)
    {
        switch (outcome.Exception)
        {
            case HttpRequestException e:
                return Failed(e.HttpRequestError == HttpRequestError.Unknown ? e.Message : e.HttpRequestError.ToString());
            case TimeoutRejectedException:
                return Failed($"no answer within {options.RequestTimeout.TotalSeconds:0.###} s");
            case not null:
                return null;
        }
        var answer = outcome.Result!;
        if (answer.StatusCode == HttpStatusCode.TooManyRequests)
            return new SlackAnswer(null, RetryAfterOf(answer, time), null);
        if (answer.StatusCode != HttpStatusCode.OK)
            return Failed($"HTTP {(int)answer.StatusCode}");
        JsonElement root;
        try
        {
            // A copy of the buffered body each time: the pipeline reads it, then the client.
            using var document = JsonDocument.Parse(await answer.Content.ReadAsByteArrayAsync().ConfigureAwait(false));
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return Failed("the answer was not JSON");
        }
        if (root.ValueKind != JsonValueKind.Object)
            return Failed("the answer was not a JSON object");
        var response = new SlackResponse(method, root);
        if (!response.Ok && response.Error is "ratelimited" or "rate_limited")
            return new SlackAnswer(null, RetryAfterOf(answer, time), null);
        return new SlackAnswer(response, null, null);
    }

    static SlackAnswer Failed(string reason) => new(null, null, reason);

    /// <summary><c>Retry-After</c> as delta seconds or an HTTP date, within [0, 15 min]; 1 s when absent or unusable.</summary>
    static TimeSpan RetryAfterOf(HttpResponseMessage answer, TimeProvider time)
    {
        var header = answer.Headers.RetryAfter;
        var delay = header?.Delta ?? (header?.Date is { } date ? date - time.GetUtcNow() : DefaultRetryAfter);
        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay > LongestRetryAfter ? LongestRetryAfter : delay;
    }
}
