namespace Cog.Runtime.Slack;

/// <summary>Settings of a <see cref="SlackChatProvider"/>: the two tokens, where the Web API is, and the timings of the
/// Socket Mode connection and the Web API retries (docs/slack.md). The defaults suit Slack; tests shorten the timings.</summary>
/// <remarks>Validated once when the provider is built. The tokens are never logged nor put in exception messages.</remarks>
public sealed class SlackOptions
{
    /// <summary>The Web API's base URL when none is given.</summary>
    public static readonly Uri DefaultApiUrl = new("https://slack.com/api/");

    /// <summary>The app-level token (<c>xapp-…</c>, scope <c>connections:write</c>): used only to open Socket Mode
    /// connections (<c>apps.connections.open</c>).</summary>
    public required string AppToken { get; init; }

    /// <summary>The bot token (<c>xoxb-…</c>): every other Web API call.</summary>
    public required string BotToken { get; init; }

    /// <summary>The Web API's base URL; a missing trailing slash is added. Default <c>https://slack.com/api/</c>.</summary>
    public Uri ApiUrl { get; init; } = DefaultApiUrl;

    /// <summary>How long one Web API request may take before it counts as failed (and is retried). Default 30 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a call refused with HTTP 429 / <c>ratelimited</c> is retried after waiting <c>Retry-After</c>.
    /// Default 5.</summary>
    public int RateLimitRetries { get; init; } = 5;

    /// <summary>How often a call that failed in transport (connection error, timeout, HTTP 5xx, a body that is not JSON)
    /// is retried, with exponential back-off from <see cref="TransientRetryDelay"/>. Default 3.</summary>
    public int TransientRetries { get; init; } = 3;

    /// <summary>The first delay before retrying a transport failure; doubled each time. Default 500 ms.</summary>
    public TimeSpan TransientRetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a new socket may take to say <c>hello</c> before it is dropped and another opened. Default 10 s.</summary>
    public TimeSpan HelloTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the socket is pinged (liveness). Default 10 s.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a ping may wait for its pong before the socket is declared dead and replaced. Default 10 s.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The first delay before reconnecting after a failure; doubled per consecutive failure up to
    /// <see cref="ReconnectMaxDelay"/>, with jitter; reset by a <c>hello</c>. Default 1 s.</summary>
    public TimeSpan ReconnectMinDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between reconnection attempts. Default 60 s.</summary>
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long to wait before trying again after Slack disabled Socket Mode for the app (<c>link_disabled</c>).
    /// Default 5 min.</summary>
    public TimeSpan LinkDisabledDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long <see cref="SlackChatProvider.StartAsync"/> waits for the first connection before returning
    /// (the provider keeps connecting in the background). Default 15 s.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a closing socket may take to finish its close handshake before it is aborted. Default 1 s.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long user and channel lookups are cached. Default 5 min.</summary>
    public TimeSpan CacheDuration { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long delivered event ids are remembered to drop Slack's redeliveries. Default 10 min (Slack retries
    /// up to about 5 min after the first delivery).</summary>
    public TimeSpan DeduplicationWindow { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The most event ids remembered at once (bounded memory). Default 10,000.</summary>
    public int DeduplicationCapacity { get; init; } = 10_000;

    /// <summary>The longest text of one posted message; longer replies are split on line boundaries. Default 3,500
    ///.</summary>
    public int MaxMessageLength { get; init; } = 3_500;

    /// <summary>The most messages one reply is split into; the rest is cut with a note. Default 10.</summary>
    public int MaxMessagesPerReply { get; init; } = 10;

    /// <summary>The largest Socket Mode frame read; larger frames are dropped (and not acknowledged). Default 4 MiB.</summary>
    public int MaxFrameBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>A random number in [0, 1) for jitter; injected so tests can pin it. Default <see cref="Random.Shared"/>.</summary>
    public Func<double> Jitter { get; init; } = static () => Random.Shared.NextDouble();

    internal Uri NormalizedApiUrl =>
        ApiUrl.AbsoluteUri.EndsWith('/') ? ApiUrl : new Uri(ApiUrl.AbsoluteUri + "/");

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(AppToken) || !AppToken.StartsWith("xapp-", StringComparison.Ordinal))
            throw new ArgumentException(SlackErrors.AppTokenShape, nameof(AppToken));
        if (string.IsNullOrWhiteSpace(BotToken) || !BotToken.StartsWith("xoxb-", StringComparison.Ordinal))
            throw new ArgumentException(SlackErrors.BotTokenShape, nameof(BotToken));
        ArgumentNullException.ThrowIfNull(ApiUrl);
        if (!ApiUrl.IsAbsoluteUri || ApiUrl.Scheme is not ("http" or "https"))
            throw new ArgumentException(SlackErrors.ApiUrlShape, nameof(ApiUrl));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RequestTimeout, TimeSpan.Zero, nameof(RequestTimeout));
        ArgumentOutOfRangeException.ThrowIfNegative(RateLimitRetries, nameof(RateLimitRetries));
        ArgumentOutOfRangeException.ThrowIfNegative(TransientRetries, nameof(TransientRetries));
        ArgumentOutOfRangeException.ThrowIfLessThan(TransientRetryDelay, TimeSpan.Zero, nameof(TransientRetryDelay));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HelloTimeout, TimeSpan.Zero, nameof(HelloTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(KeepAliveInterval, TimeSpan.Zero, nameof(KeepAliveInterval));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(KeepAliveTimeout, TimeSpan.Zero, nameof(KeepAliveTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ReconnectMinDelay, TimeSpan.Zero, nameof(ReconnectMinDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(ReconnectMaxDelay, ReconnectMinDelay, nameof(ReconnectMaxDelay));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(LinkDisabledDelay, TimeSpan.Zero, nameof(LinkDisabledDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(StartTimeout, TimeSpan.Zero, nameof(StartTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(CloseTimeout, TimeSpan.Zero, nameof(CloseTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(CacheDuration, TimeSpan.Zero, nameof(CacheDuration));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(DeduplicationWindow, TimeSpan.Zero, nameof(DeduplicationWindow));
        ArgumentOutOfRangeException.ThrowIfLessThan(DeduplicationCapacity, 16, nameof(DeduplicationCapacity));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxMessageLength, 200, nameof(MaxMessageLength));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxMessageLength, 40_000, nameof(MaxMessageLength));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxMessagesPerReply, 1, nameof(MaxMessagesPerReply));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxFrameBytes, 64 * 1024, nameof(MaxFrameBytes));
        ArgumentNullException.ThrowIfNull(Jitter);
    }
}
