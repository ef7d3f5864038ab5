using System.Collections.Concurrent;
using System.Threading.Channels;
using Cog.Contracts.Relays;
using Cog.Runtime.Relays;

namespace Cog.Runtime.Tests.Relays;

/// <summary>Records what the dispatcher sends; optionally fails sends to some relays, or answers at once.</summary>
public sealed class FakeRelayTransport : IRelayTransport
{
    static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    readonly Channel<(string RelayId, InvocationRequest Request)> _invocations = Channel.CreateUnbounded<(string, InvocationRequest)>();
    readonly Channel<(string RelayId, InvocationCancel Cancel)> _cancels = Channel.CreateUnbounded<(string, InvocationCancel)>();

    /// <summary>Relays whose sends throw <see cref="RelayTransportException"/>.</summary>
    public HashSet<string> Unreachable { get; } = [];

    /// <summary>Relays whose sends record the invocation, then throw as if the connection broke mid-send
    /// (<see cref="RelayTransportException.MayHaveBeenDelivered"/>).</summary>
    public HashSet<string> BreaksWhileSending { get; } = [];

    /// <summary>When set, called synchronously inside every send (e.g. to ack and answer at once).</summary>
    public Action<string, InvocationRequest>? OnSend { get; set; }

    public int InvocationCount { get; private set; }

    public List<BundleAssignments> Assignments { get; } = [];

    /// <summary>The receipts sent, in order.</summary>
    public ConcurrentQueue<(string RelayId, InvocationReceipt Receipt)> Receipts { get; } = new();

    public ValueTask SendInvocationAsync(string relayId, InvocationRequest request, CancellationToken cancellationToken)
    {
        if (Unreachable.Contains(relayId))
            throw new RelayTransportException("The broker is not connected.");
        if (OnSend is { } onSend)
        {
            onSend(relayId, request);
            return ValueTask.CompletedTask;
        }
        InvocationCount++;
        _invocations.Writer.TryWrite((relayId, request));
        if (BreaksWhileSending.Contains(relayId))
            throw new RelayTransportException("The connection was lost while publishing.") { MayHaveBeenDelivered = true };
        return ValueTask.CompletedTask;
    }

    public ValueTask SendCancelAsync(string relayId, InvocationCancel cancel, CancellationToken cancellationToken)
    {
        _cancels.Writer.TryWrite((relayId, cancel));
        return ValueTask.CompletedTask;
    }

    public ValueTask SendReceiptAsync(string relayId, InvocationReceipt receipt, CancellationToken cancellationToken)
    {
        Receipts.Enqueue((relayId, receipt));
        return ValueTask.CompletedTask;
    }

    public ValueTask PublishAssignmentsAsync(BundleAssignments assignments, CancellationToken cancellationToken)
    {
        Assignments.Add(assignments);
        return ValueTask.CompletedTask;
    }

    public async Task<(string RelayId, InvocationRequest Request)> NextInvocationAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Wait);
        return await _invocations.Reader.ReadAsync(timeout.Token);
    }

    public async Task<(string RelayId, InvocationCancel Cancel)> NextCancelAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Wait);
        return await _cancels.Reader.ReadAsync(timeout.Token);
    }

    public bool HasInvocation => _invocations.Reader.TryPeek(out _);

    public bool HasCancel => _cancels.Reader.TryPeek(out _);
}
