using Cog.Contracts.Relays;

namespace Cog.Runtime.Relays;

/// <summary>How <see cref="RelayDispatcher.DispatchAsync"/> ended.</summary>
public enum DispatchStatus
{
    /// <summary>A relay ran the command and answered: see <see cref="DispatchOutcome.Result"/> (whose own status may
    /// be ok, abort or error).</summary>
    Completed,

    /// <summary>No eligible relay was left (none online with the version, or none acknowledged in time); nothing ran.</summary>
    NoRelay,

    /// <summary>A relay acknowledged the command but no result arrived by the deadline; it may or may not have
    /// completed, and it was not sent again.</summary>
    NoResult,

    /// <summary>The caller cancelled; an acknowledged command was sent a cancel.</summary>
    Cancelled,
}

/// <summary>The outcome of one dispatch (expected failures are values).</summary>
/// <param name="Status">How it ended.</param>
/// <param name="RelayId">The relay that ran or started the command (for <see cref="DispatchStatus.Cancelled"/>, the
/// relay it was sent to last); <see langword="null"/> when none was.</param>
/// <param name="Result">The relay's result when <see cref="Status"/> is <see cref="DispatchStatus.Completed"/>.</param>
/// <param name="Message">The message for the user when the status is not <see cref="DispatchStatus.Completed"/>
/// (from <see cref="RelayMessages"/>).</param>
/// <param name="Attempts">How many relays were sent the request (each with its own request id).</param>
public sealed record DispatchOutcome(DispatchStatus Status, string? RelayId, InvocationResult? Result, string? Message, int Attempts)
{
    /// <summary>The request id of the last attempt, or <see langword="null"/> when nothing was sent.</summary>
    public string? RequestId { get; init; }

    /// <summary>Whether the relay acknowledged the request (always for <see cref="DispatchStatus.Completed"/> and
    /// <see cref="DispatchStatus.NoResult"/>).</summary>
    public bool Acknowledged { get; init; }
}
