using Cog.Contracts.Relays;

namespace Cog.Runtime.Relays;

/// <summary>How a pending request stopped being awaited.</summary>
enum PendingEnd
{
    Result,
    NoAck,
    NoResult,
    CancelledBeforeAck,
    CancelledAfterAck,
    Disposed,
}

/// <summary>One request sent to a relay and not finished: an entry of <see cref="RelayDispatcher"/>'s pending table.
/// The task completes once, when the dispatcher stops waiting; the entry may stay in the table after that (until its
/// deadline) so that a late ack can still be recognised.</summary>
/// <remarks>State changes are compare-and-swap on <see cref="_state"/>, so an ack, a result, the sweep and the caller's
/// cancellation may race safely; the in-flight count is decremented exactly once, on leaving
/// <see cref="WaitingForAck"/> or <see cref="Acked"/>.</remarks>
sealed class PendingInvocation : TaskCompletionSource<PendingEnd>
{
    public const int WaitingForAck = 0;
    public const int Acked = 1;
    /// <summary>No ack by the ack time: another relay is being tried; kept until the deadline to spot a late ack.</summary>
    public const int Abandoned = 2;
    /// <summary>Cancelled before an ack; kept until the deadline so that a late ack is answered with a cancel.</summary>
    public const int CancelledUnacked = 3;
    public const int Finished = 4;
    /// <summary>Its result arrived; kept until the deadline so that the same result published again (the relay had no
    /// receipt yet) is answered with a receipt and applied no second time.</summary>
    public const int Received = 5;

    int _state;

    public PendingInvocation(RelayDispatcher owner, string requestId, string relayId, DispatchRequest request,
        DateTimeOffset ackWaitUntil, DateTimeOffset deadline, InFlightCounter inFlight)
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        Owner = owner;
        RequestId = requestId;
        RelayId = relayId;
        Request = request;
        AckWaitUntil = ackWaitUntil;
        Deadline = deadline;
        InFlight = inFlight;
    }

    public RelayDispatcher Owner { get; }

    public string RequestId { get; }

    public string RelayId { get; }

    public DispatchRequest Request { get; }

    /// <summary><c>ack_by</c> + the clock tolerance.</summary>
    public DateTimeOffset AckWaitUntil { get; }

    public DateTimeOffset Deadline { get; }

    public InFlightCounter InFlight { get; }

    public InvocationResult? Result { get; private set; }

    public int State => Volatile.Read(ref _state);

    public bool TryMove(int from, int to) => Interlocked.CompareExchange(ref _state, to, from) == from;

    /// <summary>Leaves a waiting state for good: decrements the in-flight count and completes the task.</summary>
    public bool TryEnd(int from, int to, PendingEnd end, InvocationResult? result = null)
    {
        if (!TryMove(from, to))
            return false;
        Result = result;
        InFlight.Decrement();
        TrySetResult(end);
        return true;
    }
}
