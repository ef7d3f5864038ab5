using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Cog.Contracts.Relays;
using Cog.Resilience;
using Cog.Runtime.Diagnostics;
using Cog.Runtime.Relays;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Polly;

namespace Cog.Runtime.Mqtt.Transport;

/// <summary>The server's side of the relay bus over MQTT 5 (MQTTnet client): publishes invocations, cancels, receipts
/// and assignments, and hands relays' status, announcements, acks and results to an <see cref="IRelayMessageHandler"/>
/// (docs/protocol.md §2–§4, docs/broker.md "Server side").</summary>
/// <remarks>
/// <para>Logs in with <see cref="MqttRelayTransportOptions.UserName"/> and <see cref="MqttRelayTransportOptions.Password"/>
/// as client <see cref="MqttRelayTransportOptions.ClientId"/> (several servers may share a broker, each with its own id),
/// MQTT 5, with a persistent session: clean start off and a session expiry of
/// <see cref="MqttRelayTransportOptions.SessionExpiry"/>, so what relays publish while this server is briefly
/// disconnected waits in the broker. It subscribes with QoS 1 to <c>cog/v1/relays/+/status</c>, <c>+/announce</c>,
/// <c>+/acks</c> and <c>+/results</c>. Every publish is QoS 1 with payload format indicator UTF-8 and content type
/// <c>application/json</c>; invocations expire at their <c>ack_by</c>; assignments are retained.</para>
/// <para>An invocation the broker answers with "no matching subscribers" reached no relay (the relay is not connected,
/// or its session was lost with a broker restart): the send throws, and the dispatcher tries another relay at once.</para>
/// <para>Connection attempts are retried through the <see cref="Backoff"/> pipeline <c>cog.server.broker-connect</c>
/// (<see cref="MqttRelayTransportOptions.ReconnectMinDelay"/> doubling to <see cref="MqttRelayTransportOptions.ReconnectMaxDelay"/>,
/// without jitter: a broker has one or a few servers, not a crowd to spread). A lost connection is re-established the
/// same way after <see cref="MqttRelayTransportOptions.ReconnectMinDelay"/>, and the subscriptions renewed. Sends made while
/// disconnected throw <see cref="RelayTransportException"/> (the dispatcher tries another relay, or reports no result).
/// <see cref="Connected"/> is raised after every connection, the first one included: a broker that restarted without
/// persistence has lost the retained assignments, which the server then publishes again.</para>
/// <para>A payload that is not a valid message is logged with <see cref="ProtocolSerializer"/>'s error and the topic,
/// and dropped; it never disconnects the transport. The handler is called on MQTTnet's receive loop, one message at a
/// time, in delivery order; an exception from it is logged and swallowed.</para>
/// <para>Thread-safe. Start once with <see cref="StartAsync"/>; dispose to disconnect.</para>
/// </remarks>
public sealed class MqttRelayTransport : IRelayTransport, IAsyncDisposable
{
    /// <summary>The prefix of the server's client ids.</summary>
    public const string ClientIdPrefix = "cog-server-";

    const string ContentType = "application/json";

    static readonly RelayTopic[] Subscribed = [RelayTopic.Status, RelayTopic.Announce, RelayTopic.Acks, RelayTopic.Results];

    readonly MqttRelayTransportOptions _options;
    readonly ILogger _logger;
    readonly TimeProvider _timeProvider;
    readonly BackoffOptions _backoff;
    readonly ResiliencePipeline<string?> _connect;
    readonly IMqttClient _client;
    readonly MqttClientOptions _clientOptions;
    readonly string _broker;
    readonly CancellationTokenSource _stopping = new();
    readonly CancellationToken _stoppingToken;
    IRelayMessageHandler? _handler;
    int _started;
    int _connecting;
    int _disposed;

    /// <summary>Creates the transport; nothing connects until <see cref="StartAsync"/>.</summary>
    /// <exception cref="ArgumentException">The options are invalid (e.g. a broker URI that is not mqtt:// or mqtts://).</exception>
    public MqttRelayTransport(MqttRelayTransportOptions options, ILogger<MqttRelayTransport> logger, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var (host, port, tls) = options.Validate();
        _options = options;
        _logger = logger;
        _timeProvider = timeProvider;
        _stoppingToken = _stopping.Token;
        _broker = $"{(tls ? "mqtts" : "mqtt")}://{options.BrokerUri.Host}:{port}";
        ClientId = options.ClientId ?? NewClientId();

        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(ClientId)
            .WithCredentials(options.UserName, options.Password)
            .WithCleanStart(false)
            .WithSessionExpiryInterval((uint)options.SessionExpiry.TotalSeconds)
            .WithKeepAlivePeriod(options.KeepAlive)
            .WithTimeout(options.ConnectTimeout);
        if (tls)
        {
            var authority = options.TlsCaCertificate;
            builder.WithTlsOptions(o => o.UseTls()
                .WithCertificateValidationHandler(e => IsTrusted(e.Certificate, e.SslPolicyErrors, authority)));
        }
        _clientOptions = builder.Build();
        _client = new MqttClientFactory().CreateMqttClient();
        // An attempt that failed (its reason) is retried until connected or stopped.
        _backoff = new BackoffOptions { Delay = options.ReconnectMinDelay, MaxDelay = options.ReconnectMaxDelay, UseJitter = false };
        _connect = Backoff.Pipeline<string?>("cog.server.broker-connect", _backoff, timeProvider,
            static args => args.Outcome.Result is not null,
            args =>
            {
                TransportLog.ConnectFailed(logger, _broker, args.Outcome.Result!, args.RetryDelay);
                return ValueTask.CompletedTask;
            });
    }

    /// <summary>This server's MQTT client id: <see cref="MqttRelayTransportOptions.ClientId"/>, or <see cref="NewClientId"/>.</summary>
    public string ClientId { get; }

    /// <summary>Raised after every successful connection and subscription (the first and each reconnection), on the
    /// connecting thread; handlers must not block (start a task for any I/O).</summary>
    public event EventHandler? Connected;

    /// <summary>A fresh client id: <c>cog-server-</c> and 16 random hexadecimal digits. Keep it (the server keeps it in
    /// its data folder) so that a restarted server resumes its broker session.</summary>
    public static string NewClientId() => ClientIdPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>Whether the transport is connected to the broker now.</summary>
    public bool IsConnected => _client.IsConnected;

    /// <summary>Connects, subscribes and starts delivering messages to <paramref name="handler"/> (usually the
    /// <see cref="RelayDispatcher"/>). Retries with back-off until connected or <paramref name="cancellationToken"/> is
    /// cancelled; after that, reconnects by itself whenever the connection is lost.</summary>
    /// <exception cref="InvalidOperationException">Started twice.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before a
    /// connection was made.</exception>
    public async Task StartAsync(IRelayMessageHandler handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Interlocked.Exchange(ref _started, 1) != 0)
            throw new InvalidOperationException("The relay transport is already started.");
        _handler = handler;
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
        _client.DisconnectedAsync += OnDisconnectedAsync;
        Volatile.Write(ref _connecting, 1);
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stoppingToken);
            await ConnectWithBackoffAsync(linked.Token).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _connecting, 0);
        }
        ReconnectIfLost();
    }

    /// <inheritdoc />
    public ValueTask SendInvocationAsync(string relayId, InvocationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // The broker drops the request once nobody may start it any more (docs/protocol.md §2, message expiry).
        var seconds = Math.Ceiling((request.AckBy - _timeProvider.GetUtcNow()).TotalSeconds);
        var expiry = (uint)Math.Clamp(seconds, 1, uint.MaxValue);
        return PublishAsync(Topics.For(relayId, RelayTopic.Invocations), ProtocolSerializer.Serialize(request), retain: false, expiry, cancellationToken,
            requireSubscriber: true);
    }

    /// <inheritdoc />
    public ValueTask SendReceiptAsync(string relayId, InvocationReceipt receipt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        return PublishAsync(Topics.For(relayId, RelayTopic.Receipts), ProtocolSerializer.Serialize(receipt), retain: false, null, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask SendCancelAsync(string relayId, InvocationCancel cancel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cancel);
        return PublishAsync(Topics.For(relayId, RelayTopic.Cancels), ProtocolSerializer.Serialize(cancel), retain: false, null, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask PublishAssignmentsAsync(BundleAssignments assignments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(assignments);
        return PublishAsync(Topics.For(assignments.RelayId, RelayTopic.Assignments), ProtocolSerializer.Serialize(assignments), retain: true, null, cancellationToken);
    }

    /// <param name="requireSubscriber">Whether "no matching subscribers" is a failure: nobody received the message.</param>
    async ValueTask PublishAsync(string topic, byte[] payload, bool retain, uint? expirySeconds, CancellationToken cancellationToken,
        bool requireSubscriber = false)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var builder = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .WithPayloadFormatIndicator(MqttPayloadFormatIndicator.CharacterData)
            .WithContentType(ContentType);
        if (expirySeconds is { } expiry)
            builder.WithMessageExpiryInterval(expiry);
        // Within a pipeline's trace (an invocation, its cancel or receipt), the publish is a span of its own whose W3C
        // context rides along in the message's user properties; the relay's spans continue it.
        using var span = Activity.Current is null ? null : CogTracing.Source.StartActivity("cog.mqtt.publish", ActivityKind.Producer)?
            .SetTag("messaging.system", "mqtt")
            .SetTag("messaging.destination.name", topic);
        foreach (var (name, value) in TraceContext.PropertiesOf(span))
            builder.WithUserProperty(name, new ReadOnlyMemory<byte>(Encoding.UTF8.GetBytes(value)));
        MqttClientPublishResult result;
        try
        {
            if (!_client.IsConnected)
                throw new RelayTransportException($"Not connected to the MQTT broker {_broker}; '{topic}' was not sent.");
            result = await _client.PublishAsync(builder.Build(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not RelayTransportException && !(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            throw new RelayTransportException($"Could not publish on '{topic}' to the MQTT broker {_broker}: {e.Message}", e)
            {
                MayHaveBeenDelivered = true,
            };
        }
        if (result.ReasonCode == MqttClientPublishReasonCode.NoMatchingSubscribers && requireSubscriber)
            throw new RelayTransportException($"No client of the MQTT broker {_broker} is subscribed to '{topic}'; the message reached nobody.");
        // Otherwise "no matching subscribers" still means the broker took the message (a retained one waits for the
        // relay; a receipt or cancel for a relay that is away has nothing left to do).
        if (result.ReasonCode is not (MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers))
            throw new RelayTransportException($"The MQTT broker {_broker} refused the message on '{topic}': {result.ReasonCode}.");
    }

    async Task ConnectWithBackoffAsync(CancellationToken cancellationToken) =>
        await _connect.ExecuteAsync(static async (transport, cancellationToken) => await transport.TryConnectAsync(cancellationToken).ConfigureAwait(false),
            this, cancellationToken).ConfigureAwait(false);

    /// <summary>One connection attempt with its subscriptions; the reason for the log when it fails.</summary>
    async Task<string?> TryConnectAsync(CancellationToken cancellationToken)
    {
        try
        {
            var connected = await _client.ConnectAsync(_clientOptions, cancellationToken).ConfigureAwait(false);
            if (connected.ResultCode != MqttClientConnectResultCode.Success)
                return connected.ResultCode.ToString();

            var subscribe = new MqttClientSubscribeOptionsBuilder();
            foreach (var topic in Subscribed)
                subscribe.WithTopicFilter(Topics.ForAllRelays(topic), MqttQualityOfServiceLevel.AtLeastOnce);
            var subscribed = await _client.SubscribeAsync(subscribe.Build(), cancellationToken).ConfigureAwait(false);
            string? refused = null;
            foreach (var item in subscribed.Items)
            {
                if (item.ResultCode is not (MqttClientSubscribeResultCode.GrantedQoS0 or MqttClientSubscribeResultCode.GrantedQoS1 or MqttClientSubscribeResultCode.GrantedQoS2))
                {
                    TransportLog.SubscriptionRefused(_logger, _broker, item.TopicFilter.Topic, item.ResultCode.ToString());
                    refused ??= $"the subscription to '{item.TopicFilter.Topic}' was refused ({item.ResultCode})";
                }
            }
            if (refused is not null)
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptions(), CancellationToken.None).ConfigureAwait(false);
                return refused;
            }
            TransportLog.Connected(_logger, _broker, _options.UserName, ClientId);
            Connected?.Invoke(this, EventArgs.Empty);
            return null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            return e.Message;
        }
    }

    Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs e)
    {
        if (!e.ClientWasConnected || Volatile.Read(ref _disposed) != 0 || Interlocked.CompareExchange(ref _connecting, 1, 0) != 0)
            return Task.CompletedTask;
        TransportLog.Disconnected(_logger, _broker, e.ReasonString ?? e.Reason.ToString());
        _ = Task.Run(ReconnectAsync);
        return Task.CompletedTask;
    }

    async Task ReconnectAsync()
    {
        try
        {
            await _backoff.PauseAfterLossAsync(_timeProvider, _stoppingToken).ConfigureAwait(false);
            await ConnectWithBackoffAsync(_stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stoppingToken.IsCancellationRequested)
        {
            // Disposed while reconnecting.
            return;
        }
        finally
        {
            Volatile.Write(ref _connecting, 0);
        }
        ReconnectIfLost();
    }

    /// <summary>A disconnection that happened while a connection attempt was under way was not acted on (the flag was
    /// set): start reconnecting now if the connection is gone.</summary>
    void ReconnectIfLost()
    {
        if (!_client.IsConnected && Volatile.Read(ref _disposed) == 0 && Interlocked.CompareExchange(ref _connecting, 1, 0) == 0)
            _ = Task.Run(ReconnectAsync);
    }

    Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var message = e.ApplicationMessage;
        var topic = message.Topic ?? "";
        try
        {
            Deliver(topic, message.Payload);
        }
        catch (Exception exception)
        {
            TransportLog.HandlerFailed(_logger, exception, topic);
        }
        return Task.CompletedTask;
    }

    void Deliver(string topic, ReadOnlySequence<byte> payload)
    {
        var handler = _handler!;
        if (!Topics.TryParse(topic, out var relayId, out var kind) || !Topics.IsPublishedByRelay(kind))
        {
            TransportLog.UnexpectedTopic(_logger, topic);
            return;
        }
        var span = payload.IsSingleSegment ? payload.FirstSpan : payload.ToArray();
        switch (kind)
        {
            case RelayTopic.Status when Read<RelayStatus>(topic, span) is { } status:
                handler.OnStatus(relayId, status);
                break;
            case RelayTopic.Announce when Read<BundleAnnouncement>(topic, span) is { } announcement:
                handler.OnAnnounce(relayId, announcement);
                break;
            case RelayTopic.Acks when Read<InvocationAck>(topic, span) is { } ack:
                handler.OnAck(relayId, ack);
                break;
            case RelayTopic.Results when Read<InvocationResult>(topic, span) is { } result:
                handler.OnResult(relayId, result);
                break;
        }
    }

    T? Read<T>(string topic, ReadOnlySpan<byte> payload)
        where T : ProtocolMessage
    {
        var read = ProtocolSerializer.TryDeserialize<T>(payload, _options.MaxPayloadBytes);
        if (read.IsSuccess)
            return read.Message;
        TransportLog.Malformed(_logger, topic, read.Error);
        return null;
    }

    /// <summary>The system's verdict, or with a configured authority: a chain to that authority and a matching
    /// host name.</summary>
    internal static bool IsTrusted(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2? authority)
    {
        if (errors == SslPolicyErrors.None)
            return true;
        if (authority is null || certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
            return false;
        using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(presented);
    }

    /// <summary>Disconnects from the broker and stops reconnecting.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            if (_client.IsConnected)
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(),
                    CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Already gone: nothing to close.
        }
        finally
        {
            _client.Dispose();
            _stopping.Dispose();
            if (Volatile.Read(ref _started) != 0)
                TransportLog.Stopped(_logger, _broker);
        }
    }
}
