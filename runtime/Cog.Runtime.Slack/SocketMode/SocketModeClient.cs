using System.Threading.Channels;
using Cog.Resilience;
using Cog.Runtime.Chat;
using Cog.Runtime.Slack.WebApi;
using Microsoft.Extensions.Logging;
using Polly;

namespace Cog.Runtime.Slack.SocketMode;

/// <summary>Keeps one Socket Mode connection live: a new single-use URL from
/// <c>apps.connections.open</c> for every connection; on a <c>disconnect</c> frame (<c>warning</c>,
/// <c>refresh_requested</c>) the replacement is opened first and the old socket closed only once the new one has said
/// hello, so nothing is lost in the handover (the old socket keeps acknowledging until then); a refused handshake, a
/// failed <c>apps.connections.open</c> or a missing hello is retried through the <see cref="Backoff"/> pipeline
/// <c>cog.slack.socket-mode</c> (<see cref="SlackOptions.ReconnectMinDelay"/> doubling to
/// <see cref="SlackOptions.ReconnectMaxDelay"/>, jittered), which starts afresh after every hello; a lost socket (or
/// <c>too_many_websockets</c>) is replaced after <see cref="SlackOptions.ReconnectMinDelay"/>, the same way;
/// <c>link_disabled</c> waits <see cref="SlackOptions.LinkDisabledDelay"/>; a refused app token stops it for good.</summary>
/// <remarks>Thread-safe. Envelopes reach <c>onEnvelope</c> after their acknowledgement, from the connections' receive
/// loops.</remarks>
sealed class SocketModeClient : IAsyncDisposable
{
    /// <summary><c>apps.connections.open</c> errors no retry can fix.</summary>
    static readonly HashSet<string> FatalErrors = new(StringComparer.Ordinal)
    {
        "not_authed", "invalid_auth", "account_inactive", "token_revoked", "token_expired", "missing_scope",
        "not_allowed_token_type", "team_disabled", "user_removed_from_team", "forbidden_team",
    };

    readonly SlackApiClient _api;
    readonly SlackOptions _options;
    readonly TimeProvider _time;
    readonly ILogger _logger;
    readonly Func<SocketEnvelope, ValueTask> _onEnvelope;
    readonly BackoffOptions _backoff;
    readonly ResiliencePipeline<SocketConnection> _connect;
    readonly Channel<ConnectionSignal> _signals = Channel.CreateUnbounded<ConnectionSignal>();
    readonly CancellationTokenSource _stop = new();
    readonly TaskCompletionSource _firstConnection = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly List<Task> _retiring = [];
    Task _loop = Task.CompletedTask;
    int _opened;

    public SocketModeClient(SlackApiClient api, SlackOptions options, TimeProvider time, ILogger logger, Func<SocketEnvelope, ValueTask> onEnvelope)
    {
        _api = api;
        _options = options;
        _time = time;
        _logger = logger;
        _onEnvelope = onEnvelope;
        _backoff = new BackoffOptions { Delay = options.ReconnectMinDelay, MaxDelay = options.ReconnectMaxDelay, Randomizer = options.Jitter };
        _connect = Backoff.Pipeline<SocketConnection>("cog.slack.socket-mode", _backoff, time,
            static args => args.Outcome.Exception is SocketOpenException or ChatProviderException,
            args =>
            {
                SlackLog.ConnectFailed(logger, args.Outcome.Exception!.Message, args.RetryDelay);
                return ValueTask.CompletedTask;
            });
    }

    /// <summary>Completes when the first connection said hello; faults with a <see cref="ChatProviderException"/> when the
    /// app token is refused.</summary>
    public Task FirstConnection => _firstConnection.Task;

    /// <summary>How many connections have been opened so far.</summary>
    public int ConnectionsOpened => Volatile.Read(ref _opened);

    /// <summary>Starts connecting in the background.</summary>
    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);

    async Task RunAsync(CancellationToken cancellationToken)
    {
        SocketConnection? active = null;
        try
        {
            while (true)
            {
                SocketConnection next;
                try
                {
                    next = await _connect.ExecuteAsync(static (client, stop) => client.OpenAsync(stop), this, cancellationToken).ConfigureAwait(false);
                }
                catch (FatalConnectException e)
                {
                    SlackLog.Fatal(_logger, e.Message);
                    _firstConnection.TrySetException(new ChatProviderException(e.Message));
                    return;
                }
                // Make before break: the replaced socket is closed only now that its successor is live.
                if (active is not null)
                    Retire(active);
                active = next;
                _firstConnection.TrySetResult();

                var signal = await NextSignalAsync(active, cancellationToken).ConfigureAwait(false);
                switch (signal)
                {
                    case DisconnectSignal { Reason: "link_disabled" or "socket_mode_disabled" } disabled:
                        SlackLog.LinkDisabled(_logger, disabled.Reason, _options.LinkDisabledDelay);
                        Retire(active);
                        active = null;
                        await Task.Delay(_options.LinkDisabledDelay, _time, cancellationToken).ConfigureAwait(false);
                        break;
                    case DisconnectSignal { Reason: "too_many_websockets" } tooMany:
                        await LostAsync(active, tooMany.Reason, cancellationToken).ConfigureAwait(false);
                        active = null;
                        break;
                    case DisconnectSignal disconnect:
                        // warning, refresh_requested and anything new: open the replacement now, keep this one meanwhile.
                        SlackLog.DisconnectRequested(_logger, active.Number, disconnect.Reason);
                        break;
                    case ClosedSignal closed:
                        await LostAsync(active, closed.Reason, cancellationToken).ConfigureAwait(false);
                        active = null;
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (active is not null)
                Retire(active);
            _firstConnection.TrySetCanceled(CancellationToken.None);
        }
    }

    /// <summary>Closes a socket that is gone (or one too many) and pauses before the back-off takes over.</summary>
    async Task LostAsync(SocketConnection lost, string reason, CancellationToken cancellationToken)
    {
        SlackLog.ConnectionLost(_logger, lost.Number, reason, _options.ReconnectMinDelay);
        Retire(lost);
        await _backoff.PauseAfterLossAsync(_time, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The next signal about <paramref name="active"/>; signals of replaced connections are ignored (they are
    /// being closed).</summary>
    async Task<ConnectionSignal> NextSignalAsync(SocketConnection active, CancellationToken cancellationToken)
    {
        while (true)
        {
            var signal = await _signals.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (ReferenceEquals(signal.Connection, active))
                return signal;
        }
    }

    /// <summary>Opens a connection and waits for its hello; logs it.</summary>
    async ValueTask<SocketConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var response = await _api.PostEmptyAsync("apps.connections.open", SlackToken.App, cancellationToken).ConfigureAwait(false);
        if (!response.Ok)
        {
            var message = SlackErrors.Refused(response.Method, response.Error);
            throw FatalErrors.Contains(response.Error) ? new FatalConnectException(message) : new ChatProviderException(message);
        }
        if (response.GetString("url") is not { } url || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
            throw new ChatProviderException(SlackErrors.Refused(response.Method, "no_url"));
        var number = Interlocked.Increment(ref _opened);
        var (connection, count) = await SocketConnection.OpenAsync(number, uri, _options, _time, _logger, _signals.Writer, _onEnvelope, cancellationToken)
            .ConfigureAwait(false);
        SlackLog.Connected(_logger, connection.Number, count);
        return connection;
    }

    void Retire(SocketConnection connection)
    {
        lock (_retiring)
        {
            _retiring.RemoveAll(static t => t.IsCompleted);
            _retiring.Add(connection.CloseAsync());
        }
    }

    /// <summary>Stops connecting and closes every socket.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        Task[] closing;
        lock (_retiring)
            closing = [.. _retiring];
        await Task.WhenAll(closing).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    /// <summary>The app token was refused: no retry can help.</summary>
    sealed class FatalConnectException(string message) : Exception(message);
}
