namespace Cog.Relay.Transport;

/// <summary>Where the relay's MQTT session is.</summary>
enum RelaySessionState
{
    /// <summary>Not started yet.</summary>
    Created,

    /// <summary>Connecting to the broker.</summary>
    Connecting,

    /// <summary>Connected, subscribed, status and announce published.</summary>
    Connected,

    /// <summary>Disconnected or refused; waiting for the back-off delay.</summary>
    WaitingToReconnect,

    /// <summary>Stopped (cleanly or aborted); it does not connect again.</summary>
    Stopped,
}
