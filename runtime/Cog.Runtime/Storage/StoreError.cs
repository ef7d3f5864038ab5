namespace Cog.Runtime.Storage;

/// <summary>An expected failure of a store operation, with the message to show (from <see cref="StoreErrors"/>).</summary>
/// <param name="Kind">What kind of failure.</param>
/// <param name="Message">The user-facing message.</param>
public sealed record StoreError(StoreErrorKind Kind, string Message);
