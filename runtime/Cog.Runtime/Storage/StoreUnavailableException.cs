namespace Cog.Runtime.Storage;

/// <summary>The store could not be reached or could not write at all (the database is stopped, the connection was lost,
/// the disk is full or busy beyond the timeout): one error for every provider's way of saying so, so that callers can
/// answer "try again shortly" instead of failing as if the request were wrong.</summary>
/// <remarks>Thrown by every store operation; <see cref="Exception.InnerException"/> is the provider's exception. A write
/// that failed this way was not committed, except that a lost connection during a commit leaves it unknown.</remarks>
public sealed class StoreUnavailableException : Exception
{
    /// <summary>The message every instance carries (the provider's text stays in the inner exception, for the log).</summary>
    public const string Text = "Cog's store is unavailable.";

    /// <summary>Wraps the provider's <paramref name="inner"/> exception.</summary>
    public StoreUnavailableException(Exception inner)
        : base(Text, inner)
    {
    }

    /// <summary>Creates one without a cause.</summary>
    public StoreUnavailableException()
        : base(Text)
    {
    }

    /// <summary>Creates one with a message of its own.</summary>
    public StoreUnavailableException(string message, Exception? inner)
        : base(message, inner)
    {
    }
}
