using System.Collections.Concurrent;
using Cog.Contracts.Relays;
using Microsoft.Extensions.Logging;

namespace Cog.Runtime.Relays;

/// <summary>Sends commands to relays and waits for their results, <b>at most once</b> (docs/protocol.md §8.3), and receives what relays publish (<see cref="IRelayMessageHandler"/>).</summary>
/// <remarks>
/// <para><b>Selection.</b> Among the relays that are online and whose current instance announced the bundle version
/// with the expected digest, within the request's <see cref="RelayRestriction"/>, the least busy by
/// (reported load + this server's in-flight requests to it) / capacity; ties are broken by the injected random
/// source.</para>
/// <para><b>Delivery.</b> Each attempt gets a new request id, <c>ack_by</c> = now + <see cref="RelayDispatcherOptions.AckTimeout"/>
/// and <c>deadline</c> = <c>ack_by</c> + the command's timeout + <see cref="RelayDispatcherOptions.ClockTolerance"/>.
/// No ack by <c>ack_by</c> + tolerance → the next eligible relay (a late ack is logged as a warning naming the relay);
/// none left → <see cref="DispatchStatus.NoRelay"/>. A send that failed certainly reached nobody goes to the next relay
/// at once; one whose connection broke mid-send (<see cref="RelayTransportException.MayHaveBeenDelivered"/>) waits for
/// its ack like any other. Acknowledged but no result by the deadline →
/// <see cref="DispatchStatus.NoResult"/>, never sent again. An offline status does not end an acknowledged request
/// early. Results for unknown or finished requests are ignored.</para>
/// <para><b>Receipts.</b> Every result of a request in the pending table is answered with an
/// <see cref="InvocationReceipt"/>, so the relay stops publishing it again; a request whose result arrived stays in the
/// table until its deadline, so a result published again is answered too and applied only once.</para>
/// <para><b>Cancellation.</b> When the caller's token is cancelled, an acknowledged request is sent an
/// <see cref="InvocationCancel"/> and the outcome is <see cref="DispatchStatus.Cancelled"/> (not an exception). A
/// request cancelled before its ack stays known until its deadline: a late ack is answered with a cancel.</para>
/// <para><b>Time.</b> All times come from the injected <see cref="TimeProvider"/>. One timer checks the pending table
/// every <see cref="RelayDispatcherOptions.SweepInterval"/>; there is no timer per request.</para>
/// <para>Thread-safe. Dispose to stop the timer; requests still pending end as <see cref="DispatchStatus.Cancelled"/>.</para>
/// </remarks>
public sealed class RelayDispatcher : IRelayMessageHandler, IDisposable
{
    readonly RelayRegistry _registry;
    readonly IRelayTransport _transport;
    readonly TimeProvider _timeProvider;
    readonly ILogger _logger;
    readonly Func<int, int> _random;
    readonly TimeSpan _ackTimeout;
    readonly TimeSpan _tolerance;
    readonly ConcurrentDictionary<string, PendingInvocation> _pending = new(StringComparer.Ordinal);
    readonly ITimer _sweeper;
    int _sweeping;
    int _disposed;

    /// <summary>Creates a dispatcher over <paramref name="registry"/> and <paramref name="transport"/>. Pass it to the
    /// transport as its <see cref="IRelayMessageHandler"/> (e.g. <c>MqttRelayTransport.StartAsync(dispatcher, ...)</c>).</summary>
    /// <param name="registry">The relays this server knows; the dispatcher applies status and announce messages to it.</param>
    /// <param name="transport">Sends invocations and cancels.</param>
    /// <param name="options">Times; validated here.</param>
    /// <param name="timeProvider">The clock and the sweep timer.</param>
    /// <param name="logger">Warnings about relays that do not answer in time, and ignored messages.</param>
    /// <param name="random">Returns a number in [0, n) for n; breaks ties between equally busy relays. Default
    /// <see cref="Random.Shared"/>.</param>
    public RelayDispatcher(RelayRegistry registry, IRelayTransport transport, RelayDispatcherOptions options,
        TimeProvider timeProvider, ILogger<RelayDispatcher> logger, Func<int, int>? random = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        _registry = registry;
        _transport = transport;
        _timeProvider = timeProvider;
        _logger = logger;
        _random = random ?? Random.Shared.Next;
        _ackTimeout = options.AckTimeout;
        _tolerance = options.ClockTolerance;
        _sweeper = timeProvider.CreateTimer(static state => ((RelayDispatcher)state!).Sweep(), this,
            options.SweepInterval, options.SweepInterval);
    }

    /// <summary>The relays this dispatcher chooses from.</summary>
    public RelayRegistry Registry => _registry;

    /// <summary>How many requests are in the pending table (awaited, or kept to recognise a late ack).</summary>
    internal int PendingCount => _pending.Count;

    /// <summary>Runs one command on one relay, at most once.</summary>
    /// <param name="request">What to run, and where it may run.</param>
    /// <param name="cancellationToken">Cancels the dispatch (<c>pipeline kill</c>); the outcome is then
    /// <see cref="DispatchStatus.Cancelled"/>.</param>
    /// <returns>The result, or why there is none. Never throws for a relay or transport failure.</returns>
    /// <exception cref="ObjectDisposedException">The dispatcher was disposed.</exception>
    public async Task<DispatchOutcome> DispatchAsync(DispatchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.Timeout, TimeSpan.FromMilliseconds(1), nameof(request));

        List<string>? tried = null;
        var attempts = 0;
        string? lastRelay = null;
        string? lastRequestId = null;
        while (true)
        {
            if (cancellationToken.IsCancellationRequested)
                return Cancelled(request, lastRelay, lastRequestId, attempts, acknowledged: false);
            var relay = Select(request, tried);
            if (relay is null)
            {
                return new DispatchOutcome(DispatchStatus.NoRelay, null, null, RelayMessages.NoRelayOnline(request.Bundle), attempts)
                {
                    RequestId = lastRequestId,
                };
            }

            attempts++;
            lastRelay = relay.RelayId;
            var now = _timeProvider.GetUtcNow();
            var ackBy = now + _ackTimeout;
            var deadline = ackBy + request.Timeout + _tolerance;
            var requestId = Guid.NewGuid().ToString("D");
            lastRequestId = requestId;
            var pending = new PendingInvocation(this, requestId, relay.RelayId, request, ackBy + _tolerance, deadline, relay.InFlight);
            // In the table before it is sent: a fast relay's ack and result may arrive before SendInvocationAsync returns.
            relay.InFlight.Increment();
            _pending[requestId] = pending;

            PendingEnd end;
            using (cancellationToken.UnsafeRegister(static state => ((PendingInvocation)state!).Owner.CancelByCaller((PendingInvocation)state), pending))
            {
                try
                {
                    await _transport.SendInvocationAsync(relay.RelayId, ToMessage(request, requestId, ackBy, deadline), cancellationToken)
                        .ConfigureAwait(false);
                }
                catch (RelayTransportException e) when (e.MayHaveBeenDelivered)
                {
                    // The connection broke while sending: the relay may have the request. Waiting for its ack until
                    // ack_by, as for any request, keeps it from running on two relays.
                    RelayLog.SendUncertain(_logger, e, requestId, relay.RelayId);
                }
                catch (RelayTransportException e)
                {
                    RelayLog.SendFailed(_logger, e, requestId, relay.RelayId);
                    // The broker may have taken it after all: keep the entry to recognise a late ack.
                    pending.TryEnd(PendingInvocation.WaitingForAck, PendingInvocation.Abandoned, PendingEnd.NoAck);
                    (tried ??= []).Add(relay.RelayId);
                    continue;
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // CancelByCaller has moved the entry already.
                }
                end = await pending.Task.ConfigureAwait(false);
            }

            switch (end)
            {
                case PendingEnd.Result:
                    return new DispatchOutcome(DispatchStatus.Completed, relay.RelayId, pending.Result, null, attempts)
                    {
                        RequestId = requestId,
                        Acknowledged = true,
                    };
                case PendingEnd.NoAck:
                    RelayLog.NoAck(_logger, relay.RelayId, requestId, request.Bundle, request.Command);
                    (tried ??= []).Add(relay.RelayId);
                    continue;
                case PendingEnd.NoResult:
                    RelayLog.NoResult(_logger, relay.RelayId, requestId, request.Bundle, request.Command);
                    return new DispatchOutcome(DispatchStatus.NoResult, relay.RelayId, null,
                        RelayMessages.NoResult(request.Bundle, request.Command, relay.RelayId), attempts)
                    {
                        RequestId = requestId,
                        Acknowledged = true,
                    };
                case PendingEnd.CancelledAfterAck:
                    await SendCancelAsync(relay.RelayId, requestId, RelayMessages.CancelReason).ConfigureAwait(false);
                    return Cancelled(request, relay.RelayId, requestId, attempts, acknowledged: true);
                default:
                    return Cancelled(request, relay.RelayId, requestId, attempts, acknowledged: false);
            }
        }
    }

    static DispatchOutcome Cancelled(DispatchRequest request, string? relayId, string? requestId, int attempts, bool acknowledged) =>
        new(DispatchStatus.Cancelled, relayId, null, RelayMessages.Cancelled(request.Bundle, request.Command), attempts)
        {
            RequestId = requestId,
            Acknowledged = acknowledged,
        };

    /// <summary>The least busy eligible relay not yet tried, or <see langword="null"/>.</summary>
    RelayEntry? Select(DispatchRequest request, List<string>? tried)
    {
        RelayEntry? best = null;
        long bestBusy = 0;
        long bestCapacity = 1;
        var ties = 0;
        var restriction = request.Restriction;
        foreach (var entry in _registry.Entries)
        {
            if (!entry.IsReady
                || !entry.Serves(request.Bundle, request.Version, request.Digest)
                || (restriction is not null && !restriction.Allows(entry))
                || (tried is not null && tried.Contains(entry.RelayId)))
                continue;
            long busy = Math.Max(0, entry.Status.Load) + Math.Max(0, entry.InFlight.Value);
            long capacity = Math.Max(1, entry.Status.Capacity);
            // busy / capacity compared without division: a/b < c/d ⇔ a·d < c·b for positive b and d.
            var order = best is null ? -1 : (busy * bestCapacity).CompareTo(bestBusy * capacity);
            if (order < 0)
            {
                best = entry;
                bestBusy = busy;
                bestCapacity = capacity;
                ties = 1;
            }
            else if (order == 0)
            {
                // Reservoir sampling: each of the k equally busy relays ends up chosen with probability 1/k.
                ties++;
                if (_random(ties) == 0)
                {
                    best = entry;
                    bestBusy = busy;
                    bestCapacity = capacity;
                }
            }
        }
        return best;
    }

    /// <summary>The message that asks a relay to run <paramref name="request"/>.</summary>
    internal static InvocationRequest ToMessage(DispatchRequest request, string requestId, DateTimeOffset ackBy, DateTimeOffset deadline) =>
        new(requestId, request.InvocationId, request.PipelineId, request.Stage, request.Bundle, request.Version,
            request.Command, request.Args, request.Options, request.Input, request.Step, request.Caller, request.Room,
            request.Configuration, ackBy, deadline, (long)Math.Ceiling(request.Timeout.TotalMilliseconds), request.Services);

    /// <summary>Stops waiting; the entry stays until its deadline (a late ack is answered with a cancel, the cancelled
    /// command's result with a receipt).</summary>
    void CancelByCaller(PendingInvocation pending)
    {
        if (!pending.TryEnd(PendingInvocation.WaitingForAck, PendingInvocation.CancelledUnacked, PendingEnd.CancelledBeforeAck))
            pending.TryEnd(PendingInvocation.Acked, PendingInvocation.Finished, PendingEnd.CancelledAfterAck);
    }

    async Task SendCancelAsync(string relayId, string requestId, string reason)
    {
        try
        {
            // Not the caller's token: it is cancelled already, and the relay must still be told.
            await _transport.SendCancelAsync(relayId, new InvocationCancel(requestId, relayId, reason), CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (RelayTransportException e)
        {
            RelayLog.CancelFailed(_logger, e, requestId, relayId);
        }
    }

    async Task SendReceiptAsync(string relayId, string requestId)
    {
        try
        {
            await _transport.SendReceiptAsync(relayId, new InvocationReceipt(requestId, relayId), CancellationToken.None).ConfigureAwait(false);
        }
        catch (RelayTransportException e)
        {
            RelayLog.ReceiptFailed(_logger, e, requestId, relayId);
        }
    }

    /// <summary>Ends what has passed its ack time or deadline, and forgets entries kept only for late acks.</summary>
    void Sweep()
    {
        if (_pending.IsEmpty || Interlocked.Exchange(ref _sweeping, 1) != 0)
            return;
        try
        {
            var now = _timeProvider.GetUtcNow();
            foreach (var (requestId, pending) in _pending)
            {
                switch (pending.State)
                {
                    case PendingInvocation.WaitingForAck when now >= pending.AckWaitUntil:
                        pending.TryEnd(PendingInvocation.WaitingForAck, PendingInvocation.Abandoned, PendingEnd.NoAck);
                        break;
                    case PendingInvocation.Acked when now >= pending.Deadline:
                        if (pending.TryEnd(PendingInvocation.Acked, PendingInvocation.Finished, PendingEnd.NoResult))
                            _pending.TryRemove(requestId, out _);
                        break;
                    case PendingInvocation.Abandoned or PendingInvocation.CancelledUnacked or PendingInvocation.Finished
                        or PendingInvocation.Received when now >= pending.Deadline:
                        _pending.TryRemove(requestId, out _);
                        break;
                }
            }
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }

    /// <inheritdoc />
    public void OnStatus(string relayId, RelayStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        switch (_registry.ApplyStatus(relayId, status))
        {
            case RelayUpdate.RelayIdMismatch:
                RelayLog.RelayIdMismatch(_logger, status.Type, relayId, status.RelayId);
                break;
            case RelayUpdate.StaleOffline:
                RelayLog.StaleOffline(_logger, relayId, status.InstanceId);
                break;
        }
    }

    /// <inheritdoc />
    public void OnAnnounce(string relayId, BundleAnnouncement announcement)
    {
        ArgumentNullException.ThrowIfNull(announcement);
        switch (_registry.ApplyAnnouncement(relayId, announcement))
        {
            case RelayUpdate.RelayIdMismatch:
                RelayLog.RelayIdMismatch(_logger, announcement.Type, relayId, announcement.RelayId);
                break;
            case RelayUpdate.StaleAnnouncement:
                RelayLog.StaleAnnouncement(_logger, announcement.Sequence, relayId);
                break;
        }
    }

    /// <inheritdoc />
    public void OnAck(string relayId, InvocationAck ack)
    {
        ArgumentNullException.ThrowIfNull(ack);
        if (!TryFindReply(relayId, ack.Type, ack.RequestId, ack.RelayId, out var pending))
            return;
        if (pending.TryMove(PendingInvocation.WaitingForAck, PendingInvocation.Acked))
            return;
        switch (pending.State)
        {
            case PendingInvocation.Abandoned:
                // Logged once: a QoS 1 duplicate of the ack finds the entry finished. The request may be running on
                // another relay by now, so this one is told to stop: the best that can be done for at-most-once.
                if (pending.TryMove(PendingInvocation.Abandoned, PendingInvocation.Finished))
                {
                    RelayLog.LateAck(_logger, relayId, ack.RequestId);
                    _ = SendCancelAsync(relayId, ack.RequestId, RelayMessages.LateAckCancelReason);
                }
                break;
            case PendingInvocation.CancelledUnacked:
                if (pending.TryMove(PendingInvocation.CancelledUnacked, PendingInvocation.Finished))
                {
                    RelayLog.AckAfterCancel(_logger, relayId, ack.RequestId);
                    _ = SendCancelAsync(relayId, ack.RequestId, RelayMessages.CancelReason);
                }
                break;
        }
    }

    /// <inheritdoc />
    public void OnResult(string relayId, InvocationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!TryFindReply(relayId, result.Type, result.RequestId, result.RelayId, out var pending))
            return;
        // A result without an ack seen first still means the relay ran it (acks and results travel on different topics).
        // Whatever becomes of it, the relay may forget the result now (it publishes it again until it has a receipt).
        _ = SendReceiptAsync(relayId, result.RequestId);
        if (pending.TryEnd(PendingInvocation.Acked, PendingInvocation.Received, PendingEnd.Result, result)
            || pending.TryEnd(PendingInvocation.WaitingForAck, PendingInvocation.Received, PendingEnd.Result, result))
            return;
        if (pending.State == PendingInvocation.Received)
            RelayLog.DuplicateResult(_logger, relayId, result.RequestId);
        else
            // Still in the table but no longer awaited: given up (no ack in time) or cancelled.
            RelayLog.ResultNotAwaited(_logger, result.RequestId, relayId);
    }

    bool TryFindReply(string topicRelayId, string messageType, string requestId, string payloadRelayId, out PendingInvocation pending)
    {
        if (!string.Equals(topicRelayId, payloadRelayId, StringComparison.Ordinal))
        {
            RelayLog.RelayIdMismatch(_logger, messageType, topicRelayId, payloadRelayId);
            pending = null!;
            return false;
        }
        if (!_pending.TryGetValue(requestId, out pending!))
        {
            RelayLog.UnknownReply(_logger, messageType, requestId, topicRelayId);
            return false;
        }
        if (!string.Equals(pending.RelayId, topicRelayId, StringComparison.Ordinal))
        {
            RelayLog.WrongRelay(_logger, messageType, requestId, topicRelayId, pending.RelayId);
            return false;
        }
        return true;
    }

    /// <summary>Stops the sweep timer; requests still awaited end as <see cref="DispatchStatus.Cancelled"/> (nothing
    /// is sent to relays).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _sweeper.Dispose();
        foreach (var pending in _pending.Values)
        {
            if (!pending.TryEnd(PendingInvocation.WaitingForAck, PendingInvocation.Finished, PendingEnd.Disposed))
                pending.TryEnd(PendingInvocation.Acked, PendingInvocation.Finished, PendingEnd.Disposed);
        }
        _pending.Clear();
    }
}
