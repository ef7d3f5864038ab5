namespace Cog.Contracts.Relays;

/// <summary>Why a payload could not be read as a protocol message.</summary>
public enum ProtocolErrorKind
{
    /// <summary>Empty, or larger than the limit the reader was given.</summary>
    Size,

    /// <summary>Not valid UTF-8 JSON, or not a JSON object.</summary>
    MalformedJson,

    /// <summary>No protocol version, or one this reader does not support.</summary>
    UnsupportedVersion,

    /// <summary>No message type, or another type than the one expected on this topic.</summary>
    WrongType,

    /// <summary>The right type, but a field is missing, has the wrong JSON type, or holds a value the protocol forbids.</summary>
    InvalidMessage,
}
