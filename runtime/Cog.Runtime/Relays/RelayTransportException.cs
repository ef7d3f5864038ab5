namespace Cog.Runtime.Relays;

/// <summary>The relay transport could not hand a message to the message bus: not connected, refused by the broker,
/// or the connection failed while sending (an infrastructure failure).</summary>
public sealed class RelayTransportException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RelayTransportException()
    {
    }

    /// <summary>Creates the exception with a message for the log.</summary>
    public RelayTransportException(string message)
        : base(message)
    {
    }

    /// <summary>Whether the connection failed while the message was being sent, so the broker may have passed it on
    /// (otherwise it certainly reached nobody: not connected, refused, or no subscriber).</summary>
    public bool MayHaveBeenDelivered { get; init; }

    /// <summary>Creates the exception with a message for the log and the transport's own exception.</summary>
    public RelayTransportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
