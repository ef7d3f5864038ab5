namespace Cog.Testing.Slack;

/// <summary>A failure a <see cref="FakeSlackServer"/> answers one Web API call with.</summary>
public abstract record FakeFailure
{
    /// <summary>HTTP 429 with <c>{"ok":false,"error":"ratelimited"}</c> and <c>Retry-After</c> in seconds (none when
    /// <see langword="null"/>), or as an HTTP date when <paramref name="asHttpDate"/>.</summary>
    public static FakeFailure RateLimited(TimeSpan? retryAfter, bool asHttpDate = false) => new RateLimitedFailure(retryAfter, asHttpDate);

    /// <summary>HTTP 200 with <c>{"ok":false,"error":code}</c>.</summary>
    public static FakeFailure Error(string code) => new ErrorFailure(code);

    /// <summary>That HTTP status with a short text body (500, 503...).</summary>
    public static FakeFailure Status(int status) => new StatusFailure(status);

    /// <summary>HTTP 200 with an HTML page instead of JSON.</summary>
    public static FakeFailure Html { get; } = new HtmlFailure();

    /// <summary>The call waits this long, then is answered normally.</summary>
    public static FakeFailure Delay(TimeSpan delay) => new DelayFailure(delay);

    /// <summary>The connection is reset before any answer.</summary>
    public static FakeFailure Reset { get; } = new ResetFailure();

    internal sealed record RateLimitedFailure(TimeSpan? RetryAfter, bool AsHttpDate) : FakeFailure;

    internal sealed record ErrorFailure(string Code) : FakeFailure;

    internal sealed record StatusFailure(int Code) : FakeFailure;

    internal sealed record HtmlFailure : FakeFailure;

    internal sealed record DelayFailure(TimeSpan Duration) : FakeFailure;

    internal sealed record ResetFailure : FakeFailure;
}
