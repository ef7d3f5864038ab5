using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Cog.Integration.Tests.Support;

namespace Cog.Integration.Tests.Faults;

/// <summary>What one API client was answered for one <c>POST /v1/pipelines</c>.</summary>
/// <param name="Client">The client's number.</param>
/// <param name="Status">The HTTP status; <see langword="null"/> when no answer came (the connection failed, or the
/// client's 60-second timeout passed).</param>
/// <param name="ContentType">The answer's media type.</param>
/// <param name="RetryAfter">The answer's <c>Retry-After</c>.</param>
/// <param name="Body">The answer's text, or the transport error.</param>
/// <param name="Sent">When the request was sent, on the driver's clock (<see cref="LoadDriver.Elapsed"/>).</param>
/// <param name="Answered">When the answer (or the error) came, on the same clock.</param>
sealed record LoadAnswer(int Client, HttpStatusCode? Status, string? ContentType, TimeSpan? RetryAfter, string Body, TimeSpan Sent, TimeSpan Answered)
{
    /// <summary>The <c>pipeline</c> object of a 200 answer.</summary>
    public JsonElement? Pipeline =>
        Status == HttpStatusCode.OK && ContentType == "application/json" && JsonDocument.Parse(Body).RootElement.TryGetProperty("pipeline", out var p)
            ? p.Clone()
            : null;

    /// <summary>The pipeline's id and status of a 200 answer.</summary>
    public (string Id, string Status)? Run => Pipeline is { } p ? (p.GetProperty("id").GetString()!, p.GetProperty("status").GetString()!) : null;

    /// <summary>A 503 as the store outage contract says: JSON with an <c>errors</c> message, and <c>Retry-After</c>.</summary>
    public bool IsUnavailableAnswer =>
        Status == HttpStatusCode.ServiceUnavailable && RetryAfter is not null && ContentType == "application/json"
        && JsonDocument.Parse(Body).RootElement.TryGetProperty("errors", out _);

    public override string ToString() => $"client {Client}: {(Status is { } s ? ((int)s).ToString(System.Globalization.CultureInfo.InvariantCulture) : "no answer")} {ContentType} retry-after={RetryAfter} {Body}";
}

/// <summary>
/// Concurrent API clients, each with its own connection and API token, running one pipeline through
/// <c>POST /v1/pipelines</c> again and again until told to stop (or a bounded number of times), each answer recorded.
/// A 503 is retried after its <c>Retry-After</c> (at most a second), a failed connection after a short pause.
/// </summary>
sealed class LoadDriver
{
    /// <summary>The most requests one client makes, however long the load runs.</summary>
    public const int MaxRequestsPerClient = 300;

    readonly ConcurrentQueue<LoadAnswer> _answers = new();
    readonly CancellationTokenSource _stop = new();
    readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    Task[] _clients = [];
    int _succeeded;

    /// <summary>Every answer so far.</summary>
    public IReadOnlyCollection<LoadAnswer> Answers => _answers;

    /// <summary>The time since the driver started: the clock of <see cref="LoadAnswer.Sent"/> and
    /// <see cref="LoadAnswer.Answered"/>, for placing an event (a kill) among the requests.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>How many pipelines have answered <c>succeeded</c> so far.</summary>
    public int Succeeded => Volatile.Read(ref _succeeded);

    /// <summary>Starts <paramref name="tokens"/>.Count clients against <paramref name="apiUrl"/> running <paramref name="pipeline"/>.</summary>
    public static LoadDriver Start(Uri apiUrl, IReadOnlyList<string> tokens, string pipeline)
    {
        var driver = new LoadDriver();
        driver._clients = [.. tokens.Select((token, client) => Task.Run(() => driver.RunClientAsync(client, apiUrl, token, pipeline)))];
        return driver;
    }

    async Task RunClientAsync(int client, Uri apiUrl, string token, string pipeline)
    {
        using var http = new HttpClient { BaseAddress = apiUrl, Timeout = TimeSpan.FromSeconds(60) };
        for (var i = 0; i < MaxRequestsPerClient && !_stop.IsCancellationRequested; i++)
        {
            var answer = await SendAsync(http, client, token, pipeline);
            _answers.Enqueue(answer);
            if (answer.Run?.Status == "succeeded")
                Interlocked.Increment(ref _succeeded);
            var pause = answer.Status switch
            {
                HttpStatusCode.ServiceUnavailable => answer.RetryAfter is { } after && after < TimeSpan.FromSeconds(1) ? after : TimeSpan.FromSeconds(1),
                null => TimeSpan.FromMilliseconds(200),
                _ => TimeSpan.Zero,
            };
            if (pause > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(pause, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    async Task<LoadAnswer> SendAsync(HttpClient http, int client, string token, string pipeline)
    {
        var sent = Elapsed;
        try
        {
            using var request = ApiRequests.Request(HttpMethod.Post, "/v1/pipelines", new { pipeline }, token);
            // Not cancelled by the stop: a request already sent is answered and recorded.
            using var response = await http.SendAsync(request, CancellationToken.None);
            var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
            return new LoadAnswer(client, response.StatusCode, response.Content.Headers.ContentType?.MediaType, response.Headers.RetryAfter?.Delta, body, sent, Elapsed);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            // The connection failed, or no answer came within the client's timeout.
            return new LoadAnswer(client, null, null, null, e.Message, sent, Elapsed);
        }
    }

    /// <summary>Tells every client to stop after its current request and waits for them.</summary>
    public async Task<IReadOnlyList<LoadAnswer>> StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_clients);
        _stop.Dispose();
        return [.. _answers];
    }
}
