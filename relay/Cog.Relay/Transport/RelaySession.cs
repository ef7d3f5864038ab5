using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading.Channels;
using Cog.Contracts.Relays;
using Cog.Relay.Bundles;
using Cog.Relay.Execution;
using Cog.Relay.Hosting;
using Cog.Resilience;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using Polly;

namespace Cog.Relay.Transport;

/// <summary>
/// The relay's MQTT session (protocol §2, §3, §8.4): connects with its last will, subscribes to its assignments,
/// invocations, cancels and receipts, publishes <c>status</c> and <c>announce</c>, hands invocations to the
/// <see cref="InvocationRunner"/> and assignments to the <see cref="IBundleHost"/>, and publishes acks and results.
/// </summary>
/// <remarks>
/// <para>The MQTT session is persistent (clean start off, a session expiry of <see cref="SessionExpiry"/>), so what the
/// server sends while the relay reconnects waits in the broker. Nothing is lost when the broker itself restarts
/// without persistence either: an ack is published again until a server is subscribed to it (or the request's
/// <c>ack_by</c> passes, and the command never starts), and every result is kept and published again every
/// <see cref="ResultRetryInterval"/> until the server's receipt arrives or the request's deadline passes.</para>
/// <para>A refused or failed connect is retried through the <see cref="Backoff"/> pipeline <c>cog.relay.reconnect</c>
/// (<see cref="DefaultReconnect"/>: 1 s doubling to 60 s, jittered so that many relays do not reconnect in step); after
/// a lost connection the session waits the first delay once and connects again the same way, so that a connection
/// taken over at once (another process with the same relay id) does not reconnect in a tight loop. It keeps its
/// instance id and announce sequence. A payload that cannot be read is logged with the topic and
/// <see cref="ProtocolSerializer"/>'s text, and dropped; the connection stays up. Nothing here blocks the MQTT receive
/// loop: assignments are applied by a background loop (the latest wins), invocations start on their own tasks.</para>
/// <para>Thread-safe. Status and announce messages are published one at a time, so their order on the wire is the
/// order of their sequence numbers.</para>
/// </remarks>
sealed partial class RelaySession : IInvocationPublisher, IAsyncDisposable
{
    static readonly TimeSpan StatusInterval = TimeSpan.FromSeconds(1);
    static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How long the broker keeps the relay's session after the connection is lost (protocol §2).</summary>
    internal static readonly TimeSpan SessionExpiry = TimeSpan.FromMinutes(5);

    /// <summary>How often a result without a receipt is published again (protocol §8.2).</summary>
    internal static readonly TimeSpan ResultRetryInterval = TimeSpan.FromSeconds(2);

    /// <summary>How soon an ack no server received is published again, until the request's <c>ack_by</c>.</summary>
    static readonly TimeSpan AckRetryInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>The reconnect back-off of a relay: 1 s doubling to 60 s, with jitter.</summary>
    internal static readonly BackoffOptions DefaultReconnect = new() { Delay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(60) };

    /// <summary>The <c>ack_by</c> of the ack an execution of <see cref="_ackRetry"/> publishes.</summary>
    static readonly ResiliencePropertyKey<DateTimeOffset> AckBy = new("cog.ack_by");

    readonly RelayOptions _options;
    readonly string _relayId;
    readonly IBundleHost _bundles;
    readonly TimeProvider _time;
    readonly ILogger _logger;
    readonly BackoffOptions _reconnectOptions;
    readonly ResiliencePipeline<bool> _reconnect;
    readonly ResiliencePipeline<bool> _ackRetry;
    readonly IMqttClient _client;
    readonly CancellationTokenSource _stop = new();
    readonly SemaphoreSlim _publishLock = new(1, 1);
    readonly Channel<BundleAssignments> _assignments = Channel.CreateBounded<BundleAssignments>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    readonly Channel<bool> _announceSignal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    readonly Channel<bool> _statusSignal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    readonly ConcurrentDictionary<string, KeptResult> _keptResults = new(StringComparer.Ordinal);
    readonly string _statusTopic;
    readonly string _announceTopic;
    readonly string _acksTopic;
    readonly string _resultsTopic;
    InvocationRunner? _runner;
    TaskCompletionSource<MqttClientDisconnectedEventArgs>? _disconnected;
    Task _loops = Task.CompletedTask;
    int _state;
    long _sequence;
    long _lastRevision = -1;
    int _lastPublishedLoad = -1;
    long _lastStatusAt;
    int _connects;
    int _started;
    int _stopped;

    /// <summary>Creates the session; <see cref="Start"/> connects.</summary>
    /// <param name="options">Valid options (<see cref="RelayOptionsValidator"/>).</param>
    /// <param name="instanceId">This process's instance id (protocol §6.1).</param>
    /// <param name="relayVersion">The relay software's version, for <c>status</c>.</param>
    /// <param name="reconnect">The reconnect back-off; <see cref="DefaultReconnect"/> when null.</param>
    public RelaySession(RelayOptions options, IBundleHost bundles, ILoggerFactory loggers, TimeProvider time, string instanceId,
        string relayVersion, BackoffOptions? reconnect = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        _options = options;
        _relayId = Topics.IsValidRelayId(options.Id) ? options.Id : throw new ArgumentException("The options have no valid relay id.", nameof(options));
        _bundles = bundles ?? throw new ArgumentNullException(nameof(bundles));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = loggers.CreateLogger<RelaySession>();
        _reconnectOptions = reconnect ?? DefaultReconnect;
        // A refused or failed attempt (false) is retried until the session stops.
        _reconnect = Backoff.Pipeline<bool>("cog.relay.reconnect", _reconnectOptions, time, static args => args.Outcome.Result is false,
            args =>
            {
                SetState(RelaySessionState.WaitingToReconnect);
                LogReconnecting(_logger, args.RetryDelay.TotalSeconds);
                return ValueTask.CompletedTask;
            });
        // An ack no server received (false) is published again while the request's ack_by allows another attempt.
        _ackRetry = Backoff.Pipeline<bool>("cog.relay.ack", new BackoffOptions { Delay = AckRetryInterval, MaxDelay = AckRetryInterval, UseJitter = false },
            time, args => args.Outcome.Result is false && _time.GetUtcNow() + AckRetryInterval < args.Context.Properties.GetValue(AckBy, DateTimeOffset.MinValue));
        InstanceId = instanceId ?? throw new ArgumentNullException(nameof(instanceId));
        RelayVersion = relayVersion ?? throw new ArgumentNullException(nameof(relayVersion));
        _statusTopic = Topics.For(_relayId, RelayTopic.Status);
        _announceTopic = Topics.For(_relayId, RelayTopic.Announce);
        _acksTopic = Topics.For(_relayId, RelayTopic.Acks);
        _resultsTopic = Topics.For(_relayId, RelayTopic.Results);
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
        _client.DisconnectedAsync += OnDisconnectedAsync;
    }

    /// <summary>Raised after <see cref="State"/> changed, on any thread; handlers must not block.</summary>
    public event EventHandler<RelaySessionState>? StateChanged;

    /// <summary>This process's instance id.</summary>
    public string InstanceId { get; }

    /// <summary>The relay software's version sent in <c>status</c>.</summary>
    public string RelayVersion { get; }

    /// <summary>Where the session is.</summary>
    public RelaySessionState State => (RelaySessionState)Volatile.Read(ref _state);

    /// <summary>The sequence number of the last <c>announce</c> published (0 before the first).</summary>
    public long AnnounceSequence => Interlocked.Read(ref _sequence);

    /// <summary>How many times the session has connected.</summary>
    public int Connects => Volatile.Read(ref _connects);

    /// <summary>How many results wait for the server's receipt.</summary>
    internal int KeptResults => _keptResults.Count;

    /// <summary>Starts connecting (in the background: a broker that is down is retried) and serving
    /// <paramref name="runner"/>.</summary>
    public void Start(InvocationRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("The session has already been started.");
        }
        _runner = runner;
        runner.LoadChanged += (_, _) => _statusSignal.Writer.TryWrite(true);
        _bundles.Changed += OnBundlesChanged;
        var stop = _stop.Token;
        _loops = Task.WhenAll(
            Task.Run(() => ConnectionLoopAsync(stop), CancellationToken.None),
            Task.Run(() => AssignmentLoopAsync(stop), CancellationToken.None),
            Task.Run(() => AnnounceLoopAsync(stop), CancellationToken.None),
            Task.Run(() => StatusLoopAsync(stop), CancellationToken.None),
            Task.Run(() => ResultRetryLoopAsync(stop), CancellationToken.None));
    }

    /// <summary>Stops cleanly: no more reconnects; when connected, publishes the offline status and disconnects (so
    /// the broker does not publish the last will).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }
        _bundles.Changed -= OnBundlesChanged;
        await _stop.CancelAsync().ConfigureAwait(false);
        await WaitForLoopsAsync().ConfigureAwait(false);
        if (_client.IsConnected)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(StopTimeout);
            await PublishStatusAsync(RelayState.Offline, timeout.Token).ConfigureAwait(false);
            try
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder()
                    .WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogDisconnectFailed(_logger, e.Message);
            }
        }
        SetState(RelaySessionState.Stopped);
        LogStopped(_logger);
    }

    /// <summary>Drops the connection as if the process had died: no offline status, no DISCONNECT packet, so the
    /// broker publishes the last will. The session does not connect again. For tests.</summary>
    internal async Task AbortAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }
        _bundles.Changed -= OnBundlesChanged;
        await _stop.CancelAsync().ConfigureAwait(false);
        // Disposing closes the socket without a DISCONNECT packet.
        _client.Dispose();
        await WaitForLoopsAsync().ConfigureAwait(false);
        SetState(RelaySessionState.Stopped);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _client.Dispose();
        _stop.Dispose();
        _publishLock.Dispose();
    }

    /// <inheritdoc/>
    public async Task<bool> PublishAckAsync(InvocationAck ack, DateTimeOffset ackBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ack);
        var payload = ProtocolSerializer.Serialize(ack);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(AckBy, ackBy);
        try
        {
            // Only an ack a server is subscribed to counts: after a broker restart, the relay may be back before the
            // server has subscribed again, and an ack nobody received would let the server give the request to
            // another relay while this one runs it.
            return await _ackRetry.ExecuteAsync(static async (context, state) =>
                await state.Session.PublishAsync(state.Session._acksTopic, state.Payload, retain: false, context.CancellationToken, requireSubscriber: true)
                    .ConfigureAwait(false), context, (Session: this, Payload: payload)).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <inheritdoc/>
    public async Task PublishResultAsync(InvocationResult result, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        var kept = new KeptResult(result.RequestId, ProtocolSerializer.Serialize(result), deadline);
        // Kept before it is published: the receipt may arrive before PublishAsync returns.
        _keptResults[result.RequestId] = kept;
        if (!await PublishAsync(_resultsTopic, kept.Payload, retain: false, cancellationToken, requireSubscriber: true).ConfigureAwait(false))
        {
            LogResultKept(_logger, result.RequestId, deadline);
        }
    }

    async Task WaitForLoopsAsync()
    {
        try
        {
            await _loops.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    async Task ConnectionLoopAsync(CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await _reconnect.ExecuteAsync(static (session, stop) => session.ConnectOnceAsync(stop), this, stop).ConfigureAwait(false);
                var reason = await Volatile.Read(ref _disconnected)!.Task.WaitAsync(stop).ConfigureAwait(false);
                LogDisconnected(_logger, reason.Reason.ToString(), reason.ReasonString ?? reason.Exception?.Message ?? "");
                SetState(RelaySessionState.WaitingToReconnect);
                LogReconnecting(_logger, _reconnectOptions.Delay.TotalSeconds);
                await _reconnectOptions.PauseAfterLossAsync(_time, stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (ObjectDisposedException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>One connection attempt with its set-up (subscriptions, online status, announce); whether it connected.
    /// A refusal or a failure is logged here.</summary>
    async ValueTask<bool> ConnectOnceAsync(CancellationToken stop)
    {
        SetState(RelaySessionState.Connecting);
        Volatile.Write(ref _disconnected, new TaskCompletionSource<MqttClientDisconnectedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            LogConnecting(_logger, _options.Broker.Host, _options.BrokerPort, _options.UsesTls ? "mqtts" : "mqtt", _relayId);
            var result = await _client.ConnectAsync(BuildClientOptions(), stop).ConfigureAwait(false);
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                LogRefused(result.ResultCode, result.ReasonString);
                return false;
            }
            await OnConnectedAsync(stop).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException && stop.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogConnectFailed(_logger, _options.Broker.Host, _options.BrokerPort, e.GetBaseException().Message);
            if (_client.IsConnected)
            {
                // Connected but the set-up failed (a subscription refused, a publish lost): start again cleanly.
                await DisconnectQuietlyAsync().ConfigureAwait(false);
            }
            return false;
        }
    }

    async Task OnConnectedAsync(CancellationToken stop)
    {
        Interlocked.Increment(ref _connects);
        LogConnected(_logger, _options.Broker.Host, _options.BrokerPort);
        var subscribe = new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(Topics.For(_relayId, RelayTopic.Assignments), MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(Topics.For(_relayId, RelayTopic.Invocations), MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(Topics.For(_relayId, RelayTopic.Cancels), MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(Topics.For(_relayId, RelayTopic.Receipts), MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        var subscribed = await _client.SubscribeAsync(subscribe, stop).ConfigureAwait(false);
        foreach (var item in subscribed.Items)
        {
            if (item.ResultCode > MqttClientSubscribeResultCode.GrantedQoS2)
            {
                LogSubscriptionRefused(_logger, item.TopicFilter.Topic, item.ResultCode.ToString());
            }
        }
        if (!await PublishStatusAsync(RelayState.Online, stop).ConfigureAwait(false))
        {
            throw new MqttCommunicationFailure("The online status could not be published.");
        }
        // Connected before the announce: a bundle change from now on is announced by the announce loop, never lost.
        SetState(RelaySessionState.Connected);
        await PublishAnnounceAsync(stop).ConfigureAwait(false);
        await PublishKeptResultsAsync(stop).ConfigureAwait(false);
    }

    /// <summary>Publishes again every result the server has not confirmed with a receipt, and forgets those whose
    /// deadline has passed (the server stopped waiting for them).</summary>
    async Task PublishKeptResultsAsync(CancellationToken stop)
    {
        foreach (var kept in _keptResults.Values)
        {
            if (_time.GetUtcNow() > kept.Deadline)
            {
                if (_keptResults.TryRemove(new KeyValuePair<string, KeptResult>(kept.RequestId, kept)))
                {
                    LogResultExpired(_logger, kept.RequestId);
                }
                continue;
            }
            if (!_client.IsConnected)
            {
                return;
            }
            if (await PublishAsync(_resultsTopic, kept.Payload, retain: false, stop, requireSubscriber: true).ConfigureAwait(false))
            {
                LogResultRepublished(_logger, kept.RequestId);
            }
        }
    }

    async Task ResultRetryLoopAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(ResultRetryInterval, _time);
        while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
        {
            if (!_keptResults.IsEmpty && State == RelaySessionState.Connected)
            {
                await PublishKeptResultsAsync(stop).ConfigureAwait(false);
            }
        }
    }

    MqttClientOptions BuildClientOptions()
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_options.Broker.Host, _options.BrokerPort)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(ClientId(_relayId))
            .WithCredentials(_relayId, _options.Token)
            .WithCleanStart(false)
            .WithSessionExpiryInterval((uint)SessionExpiry.TotalSeconds)
            .WithKeepAlivePeriod(_options.KeepAlive)
            .WithTimeout(ConnectTimeout)
            .WithWillTopic(_statusTopic)
            .WithWillPayload(ProtocolSerializer.Serialize(Status(RelayState.Offline, 0)))
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithWillRetain(true)
            .WithWillDelayInterval(0)
            .WithWillPayloadFormatIndicator(MqttPayloadFormatIndicator.CharacterData)
            .WithWillContentType(ContentType);
        if (_options.UsesTls)
        {
            builder.WithTlsOptions(tls =>
            {
                tls.UseTls().WithTargetHost(_options.Broker.Host);
                if (_options.AllowUntrustedCertificates)
                {
                    tls.WithAllowUntrustedCertificates(true).WithIgnoreCertificateChainErrors(true)
                        .WithCertificateValidationHandler(static _ => true);
                }
                else if (_options.CaCertificateFile is { } ca)
                {
                    tls.WithTrustChain(LoadCertificates(ca));
                }
            });
        }
        return builder.Build();
    }

    /// <summary>The client id a relay must use (protocol §2).</summary>
    public static string ClientId(string relayId) => "cog-relay-" + relayId;

    const string ContentType = "application/json";

    /// <summary>The certificates of a PEM or DER file (the relay's <c>ca_certificate</c>).</summary>
    internal static X509Certificate2Collection LoadCertificates(string path)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPemFile(path);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
        }
        if (certificates.Count == 0)
        {
            certificates.Add(X509CertificateLoader.LoadCertificateFromFile(path));
        }
        return certificates;
    }

    RelayStatus Status(RelayState state, int load) =>
        new(_relayId, InstanceId, state, RelayVersion, [.. _options.Tags], Math.Max(1, _runner?.Capacity ?? _options.Concurrency), load,
            [.. _bundles.Isolation.Mechanisms.Select(m => new RelayIsolationMechanism(m.Name, m.Available, m.Detail))]);

    async Task<bool> PublishStatusAsync(RelayState state, CancellationToken cancellationToken)
    {
        try
        {
            await _publishLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        try
        {
            var load = state == RelayState.Online ? _runner?.Load ?? 0 : 0;
            var published = await PublishAsync(_statusTopic, ProtocolSerializer.Serialize(Status(state, load)), retain: true, cancellationToken).ConfigureAwait(false);
            if (published)
            {
                Volatile.Write(ref _lastPublishedLoad, load);
                Volatile.Write(ref _lastStatusAt, _time.GetTimestamp());
            }
            return published;
        }
        finally
        {
            _publishLock.Release();
        }
    }

    async Task PublishAnnounceAsync(CancellationToken cancellationToken)
    {
        await _publishLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var snapshot = _bundles.Current;
            var bundles = ImmutableArray.CreateBuilder<AnnouncedBundle>(snapshot.Ready.Length);
            foreach (var ready in snapshot.Ready)
            {
                bundles.Add(new AnnouncedBundle(ready.Name, ready.Version, ready.Digest));
            }
            var sequence = Interlocked.Increment(ref _sequence);
            var announcement = new BundleAnnouncement(_relayId, InstanceId, sequence, bundles.MoveToImmutable(), snapshot.Failures);
            if (await PublishAsync(_announceTopic, ProtocolSerializer.Serialize(announcement), retain: true, cancellationToken).ConfigureAwait(false))
            {
                // Not bundles.Count: MoveToImmutable has emptied the builder.
                LogAnnounced(_logger, sequence, announcement.Bundles.Length, announcement.Failures.Length);
            }
        }
        finally
        {
            _publishLock.Release();
        }
    }

    /// <summary>Publishes with QoS 1; whether the broker took it.</summary>
    /// <param name="requireSubscriber">Whether "no matching subscribers" counts as not sent: nobody received it.</param>
    async Task<bool> PublishAsync(string topic, byte[] payload, bool retain, CancellationToken cancellationToken, bool requireSubscriber = false)
    {
        if (!_client.IsConnected)
        {
            return false;
        }
        var builder = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .WithPayloadFormatIndicator(MqttPayloadFormatIndicator.CharacterData)
            .WithContentType(ContentType);
        // An ack or result published within an invocation's span carries its trace context back to the server.
        foreach (var (name, value) in TraceContext.PropertiesOf(Activity.Current))
        {
            builder.WithUserProperty(name, new ReadOnlyMemory<byte>(Encoding.UTF8.GetBytes(value)));
        }
        var message = builder.Build();
        try
        {
            var result = await _client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
            if (result.ReasonCode == MqttClientPublishReasonCode.Success
                || (result.ReasonCode == MqttClientPublishReasonCode.NoMatchingSubscribers && !requireSubscriber))
            {
                return true;
            }
            if (result.ReasonCode == MqttClientPublishReasonCode.NoMatchingSubscribers)
            {
                LogNoSubscriber(_logger, topic);
                return false;
            }
            LogPublishRefused(_logger, topic, result.ReasonCode.ToString(), result.ReasonString ?? "");
            return false;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogPublishFailed(_logger, topic, e.GetBaseException().Message);
            return false;
        }
    }

    Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var topicName = e.ApplicationMessage.Topic;
        try
        {
            var sequence = e.ApplicationMessage.Payload;
            var payload = sequence.IsSingleSegment ? sequence.FirstSpan : sequence.ToArray();
            if (!Topics.TryParse(topicName, out var owner, out var topic) || owner != _relayId)
            {
                LogUnexpectedTopic(_logger, topicName);
                return Task.CompletedTask;
            }
            switch (topic)
            {
                case RelayTopic.Invocations:
                    var invocation = ProtocolSerializer.TryDeserialize<InvocationRequest>(payload);
                    if (!invocation.IsSuccess)
                    {
                        LogUnreadable(_logger, topicName, invocation.Error);
                    }
                    else
                    {
                        _runner?.Submit(invocation.Message, TraceContext.Parse(e.ApplicationMessage.UserProperties?
                            .Select(static p => KeyValuePair.Create(p.Name, p.ReadValueAsString()))));
                    }
                    break;
                case RelayTopic.Cancels:
                    var cancel = ProtocolSerializer.TryDeserialize<InvocationCancel>(payload);
                    if (!cancel.IsSuccess)
                    {
                        LogUnreadable(_logger, topicName, cancel.Error);
                    }
                    else if (cancel.Message.RelayId != _relayId)
                    {
                        LogOtherRelay(_logger, topicName, cancel.Message.RelayId);
                    }
                    else
                    {
                        _runner?.Cancel(cancel.Message);
                    }
                    break;
                case RelayTopic.Receipts:
                    var receipt = ProtocolSerializer.TryDeserialize<InvocationReceipt>(payload);
                    if (!receipt.IsSuccess)
                    {
                        LogUnreadable(_logger, topicName, receipt.Error);
                    }
                    else if (receipt.Message.RelayId != _relayId)
                    {
                        LogOtherRelay(_logger, topicName, receipt.Message.RelayId);
                    }
                    else
                    {
                        // A receipt for a result already forgotten (a duplicate) has nothing left to do.
                        _keptResults.TryRemove(receipt.Message.RequestId, out _);
                    }
                    break;
                case RelayTopic.Assignments:
                    var assignments = ProtocolSerializer.TryDeserialize<BundleAssignments>(payload);
                    if (!assignments.IsSuccess)
                    {
                        LogUnreadable(_logger, topicName, assignments.Error);
                    }
                    else if (assignments.Message.RelayId != _relayId)
                    {
                        LogOtherRelay(_logger, topicName, assignments.Message.RelayId);
                    }
                    else
                    {
                        _assignments.Writer.TryWrite(assignments.Message);
                    }
                    break;
                default:
                    LogUnexpectedTopic(_logger, topicName);
                    break;
            }
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Never let a message take the receive loop down.
            LogHandlerBug(_logger, exception, topicName);
        }
        return Task.CompletedTask;
    }

    Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs e)
    {
        if (e.ClientWasConnected)
        {
            Volatile.Read(ref _disconnected)?.TrySetResult(e);
        }
        return Task.CompletedTask;
    }

    void OnBundlesChanged(object? sender, BundleSnapshot snapshot) => _announceSignal.Writer.TryWrite(true);

    async Task AssignmentLoopAsync(CancellationToken stop)
    {
        await foreach (var assignments in _assignments.Reader.ReadAllAsync(stop).ConfigureAwait(false))
        {
            if (assignments.Revision < _lastRevision)
            {
                LogOldRevision(_logger, assignments.Revision, _lastRevision);
                continue;
            }
            _lastRevision = assignments.Revision;
            LogApplying(_logger, assignments.Revision, assignments.Bundles.Length);
            try
            {
                await _bundles.ApplyAsync(assignments, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogApplyBug(_logger, e, assignments.Revision);
            }
        }
    }

    async Task AnnounceLoopAsync(CancellationToken stop)
    {
        await foreach (var _ in _announceSignal.Reader.ReadAllAsync(stop).ConfigureAwait(false))
        {
            if (State == RelaySessionState.Connected)
            {
                await PublishAnnounceAsync(stop).ConfigureAwait(false);
            }
        }
    }

    async Task StatusLoopAsync(CancellationToken stop)
    {
        await foreach (var _ in _statusSignal.Reader.ReadAllAsync(stop).ConfigureAwait(false))
        {
            // At most one load update per second (protocol §6.1); the load is read when it is sent.
            var wait = StatusInterval - _time.GetElapsedTime(Volatile.Read(ref _lastStatusAt));
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, stop).ConfigureAwait(false);
            }
            if (State == RelaySessionState.Connected && (_runner?.Load ?? 0) != Volatile.Read(ref _lastPublishedLoad))
            {
                await PublishStatusAsync(RelayState.Online, stop).ConfigureAwait(false);
            }
        }
    }

    async Task DisconnectQuietlyAsync()
    {
        try
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogDisconnectFailed(_logger, e.Message);
        }
    }

    void SetState(RelaySessionState state)
    {
        var previous = (RelaySessionState)Interlocked.Exchange(ref _state, (int)state);
        if (previous != state)
        {
            StateChanged?.Invoke(this, state);
        }
    }

    void LogRefused(MqttClientConnectResultCode code, string? reason)
    {
        switch (code)
        {
            case MqttClientConnectResultCode.BadUserNameOrPassword:
                LogBadCredentials(_logger, _relayId);
                break;
            case MqttClientConnectResultCode.NotAuthorized:
                LogNotAuthorized(_logger, _relayId);
                break;
            default:
                LogRefusedOther(_logger, code.ToString(), (int)code, reason ?? "");
                break;
        }
    }

    /// <summary>A result published and not yet confirmed by the server's receipt.</summary>
    sealed record KeptResult(string RequestId, byte[] Payload, DateTimeOffset Deadline);

    /// <summary>The connection broke while it was being set up.</summary>
    sealed class MqttCommunicationFailure(string message) : Exception(message);
}
