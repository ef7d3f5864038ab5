using System.Diagnostics.CodeAnalysis;

namespace Cog.Contracts.Relays;

/// <summary>The outcome of <see cref="ProtocolSerializer.TryDeserialize{T}(ReadOnlySpan{byte}, int)"/>: the message,
/// or why the payload is not one.</summary>
/// <typeparam name="T">The message type that was expected.</typeparam>
public sealed class ProtocolReadResult<T>
    where T : ProtocolMessage
{
    ProtocolReadResult(T? message, ProtocolErrorKind errorKind, string? error)
    {
        Message = message;
        ErrorKind = errorKind;
        Error = error;
    }

    /// <summary>Whether the payload was a valid message.</summary>
    [MemberNotNullWhen(true, nameof(Message))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Message is not null;

    /// <summary>The message, or <see langword="null"/> on failure.</summary>
    public T? Message { get; }

    /// <summary>What kind of failure it was; meaningless on success.</summary>
    public ProtocolErrorKind ErrorKind { get; }

    /// <summary>A one-sentence description of the failure for the log, with the JSON path or position where known;
    /// <see langword="null"/> on success.</summary>
    public string? Error { get; }

    internal static ProtocolReadResult<T> Success(T message) => new(message, default, null);

    internal static ProtocolReadResult<T> Failure(ProtocolErrorKind kind, string error) => new(null, kind, error);
}
