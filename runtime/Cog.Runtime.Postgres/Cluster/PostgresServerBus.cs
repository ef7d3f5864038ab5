using System.Collections.Immutable;
using System.Net.Sockets;
using Cog.Resilience;
using Cog.Runtime.Cluster;
using Microsoft.Extensions.Logging;
using Npgsql;
using Polly;

namespace Cog.Runtime.Postgres.Cluster;

/// <summary>The <see cref="IServerBus"/> of servers sharing one PostgreSQL database: <c>NOTIFY</c> to send,
/// <c>LISTEN</c> on one dedicated connection to receive.</summary>
/// <remarks>
/// <para>Why the database rather than the MQTT broker: PostgreSQL delivers a notification when the sending transaction
/// commits, from the same database that holds the state the notice is about, so a peer never reloads before the change
/// is visible to it; and the state's consistency depends on no second service.</para>
/// <para>Every notice travels on the one PostgreSQL channel <see cref="PostgresChannel"/> (one <c>LISTEN</c>), as a
/// envelope of three parts separated by line feeds: the channel, the sender's instance name, the payload as it was given
/// (no escaping, so <see cref="IServerBus.MaxPayloadBytes"/> always fits in PostgreSQL's 8,000 bytes). A server drops the
/// envelopes it sent itself. Notifications are per database, so stores in other databases of the same PostgreSQL never meet.</para>
/// <para>The listening connection is kept open for the bus's life with Npgsql's keepalive on, so a connection that died
/// silently is noticed. When it is lost, it is opened again through the shared back-off (Cog.Resilience), and once
/// it listens again every subscriber receives a <see cref="ServerNotice.Missed"/> notice.</para>
/// </remarks>
public sealed class PostgresServerBus : IServerBus, IAsyncDisposable
{
    /// <summary>The PostgreSQL notification channel every notice of every Cog channel travels on.</summary>
    public const string PostgresChannel = "cog_server_bus";

    /// <summary>The longest instance name the envelope takes (with the payload and channel, within PostgreSQL's 8,000 bytes).</summary>
    public const int MaxInstanceLength = 200;

    readonly NpgsqlDataSource _dataSource;
    readonly TimeProvider _time;
    readonly ILogger _logger;
    readonly BackoffOptions _backoff;
    readonly ResiliencePipeline<NpgsqlConnection> _listen;
    readonly CancellationTokenSource _stop = new();
    readonly TaskCompletionSource _firstListen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly Lock _gate = new();
    ImmutableDictionary<string, ImmutableList<Action<ServerNotice>>> _subscribers = ImmutableDictionary<string, ImmutableList<Action<ServerNotice>>>.Empty;
    Task _loop = Task.CompletedTask;
    int _listens;

    PostgresServerBus(string connectionString, string instance, TimeProvider time, ILogger logger, BackoffOptions backoff)
    {
        Instance = instance;
        _time = time;
        _logger = logger;
        _backoff = backoff;
        // Npgsql's settings as the store's (with several hosts, the promoted primary is found as soon as the store finds it).
        var builder = PostgresStore.DataSourceBuilder(connectionString);
        // The listener waits for notifications for hours: keepalive queries make a dead connection fail instead of waiting forever.
        if (builder.ConnectionStringBuilder.KeepAlive == 0)
            builder.ConnectionStringBuilder.KeepAlive = 15;
        builder.ConnectionStringBuilder.ApplicationName ??= "cog-server-bus " + instance;
        _dataSource = builder.Build();
        _listen = Backoff.Pipeline<NpgsqlConnection>("cog.server.bus-listen", backoff, time,
            static args => args.Outcome.Exception is NpgsqlException or SocketException or IOException or TimeoutException,
            args =>
            {
                BusLog.ListenFailed(logger, args.Outcome.Exception!.Message, args.RetryDelay);
                return ValueTask.CompletedTask;
            });
    }

    /// <inheritdoc />
    public string Instance { get; }

    /// <summary>How many times the listener has started listening (1 after the start, one more per reconnection).</summary>
    public int Listens => Volatile.Read(ref _listens);

    /// <summary>Starts listening on the database of <paramref name="connectionString"/> (Npgsql keyword format) and
    /// returns once the listener is ready, so that a notice published by a peer after this returns is received.</summary>
    /// <param name="connectionString">The store's connection string (a multi-host one works: the listener follows the primary).</param>
    /// <param name="instance">This server's instance name, unique among the servers sharing the database.</param>
    /// <param name="time">The clock the back-off waits on.</param>
    /// <param name="logger">Where losses and reconnections are logged.</param>
    /// <param name="backoff">The reconnect back-off; by default from 200 ms doubling to 10 s, with jitter.</param>
    /// <param name="cancellationToken">Stops waiting for the first <c>LISTEN</c> (the bus is then disposed).</param>
    public static async Task<PostgresServerBus> StartAsync(string connectionString, string instance, TimeProvider time, ILogger logger,
        CancellationToken cancellationToken, BackoffOptions? backoff = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentException.ThrowIfNullOrWhiteSpace(instance);
        if (instance.Contains('\n', StringComparison.Ordinal) || instance.Length > MaxInstanceLength)
            throw new ArgumentException($"An instance name on the server bus is at most {MaxInstanceLength} characters, without line feeds.", nameof(instance));
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        var bus = new PostgresServerBus(connectionString, instance, time, logger,
            backoff ?? new BackoffOptions { Delay = TimeSpan.FromMilliseconds(200), MaxDelay = TimeSpan.FromSeconds(10) });
        bus._loop = Task.Run(() => bus.RunAsync(bus._stop.Token), CancellationToken.None);
        try
        {
            await bus._firstListen.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            return bus;
        }
        catch
        {
            await bus.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask PublishAsync(string channel, string payload, CancellationToken cancellationToken)
    {
        ServerBusChecks.Check(channel, payload);
        var envelope = Envelope(channel, Instance, payload);
        await using var command = _dataSource.CreateCommand("SELECT pg_notify(@channel, @envelope)");
        command.Parameters.AddWithValue("channel", PostgresChannel);
        command.Parameters.AddWithValue("envelope", envelope);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public IDisposable Subscribe(string channel, Action<ServerNotice> handler)
    {
        ServerBusChecks.CheckChannel(channel);
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate)
            _subscribers = _subscribers.SetItem(channel, _subscribers.GetValueOrDefault(channel, []).Add(handler));
        return new Subscription(this, channel, handler);
    }

    void Unsubscribe(string channel, Action<ServerNotice> handler)
    {
        lock (_gate)
        {
            if (_subscribers.TryGetValue(channel, out var handlers))
                _subscribers = handlers.Remove(handler) is { IsEmpty: false } rest ? _subscribers.SetItem(channel, rest) : _subscribers.Remove(channel);
        }
    }

    /// <summary>Listens, delivers, and after a loss pauses and listens again, until disposed.</summary>
    async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var connection = await _listen.ExecuteAsync(static (bus, stop) => bus.ListenAsync(stop), this, cancellationToken).ConfigureAwait(false);
                try
                {
                    var listens = Interlocked.Increment(ref _listens);
                    if (listens > 1)
                        BusLog.ListeningAgain(_logger);
                    // Listening before the Missed notices: whatever changes after a subscriber reloads is notified.
                    foreach (var channel in _subscribers.Keys)
                        Deliver(new ServerNotice(channel, "", "", Missed: true));
                    _firstListen.TrySetResult();
                    while (true)
                        await connection.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is NpgsqlException or SocketException or IOException or TimeoutException)
                {
                    BusLog.ConnectionLost(_logger, e.Message, _backoff.Delay);
                }
                finally
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                }
                await _backoff.PauseAfterLossAsync(_time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            _firstListen.TrySetCanceled(CancellationToken.None);
        }
    }

    async ValueTask<NpgsqlConnection> ListenAsync(CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            connection.Notification += (_, e) => Receive(e.Payload);
            await using var listen = new NpgsqlCommand($"LISTEN {PostgresChannel}", connection);
            await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Called on the listener's loop (inside <c>WaitAsync</c>) for each notification.</summary>
    void Receive(string envelope)
    {
        if (!TryRead(envelope, out var notice))
        {
            BusLog.Unreadable(_logger, envelope.Length);
            return;
        }
        if (notice.From != Instance)
            Deliver(notice);
    }

    void Deliver(ServerNotice notice)
    {
        if (!_subscribers.TryGetValue(notice.Channel, out var handlers))
            return;
        foreach (var handler in handlers)
        {
            try
            {
                handler(notice);
            }
#pragma warning disable CA1031 // A handler that breaks its contract (never throw) must not stop the listener for the others.
            catch (Exception e)
#pragma warning restore CA1031
            {
                BusLog.HandlerFailed(_logger, notice.Channel, e);
            }
        }
    }

    static string Envelope(string channel, string from, string payload) => $"{channel}\n{from}\n{payload}";

    static bool TryRead(string envelope, out ServerNotice notice)
    {
        var channelEnd = envelope.IndexOf('\n', StringComparison.Ordinal);
        var fromEnd = channelEnd < 0 ? -1 : envelope.IndexOf('\n', channelEnd + 1);
        notice = fromEnd < 0 ? default : new ServerNotice(envelope[..channelEnd], envelope[(channelEnd + 1)..fromEnd], envelope[(fromEnd + 1)..]);
        return fromEnd > 0;
    }

    /// <summary>Stops listening and closes the bus's connections.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
            return;
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    sealed class Subscription(PostgresServerBus bus, string channel, Action<ServerNotice> handler) : IDisposable
    {
        int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                bus.Unsubscribe(channel, handler);
        }
    }
}
