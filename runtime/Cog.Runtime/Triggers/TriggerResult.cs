using System.Diagnostics.CodeAnalysis;

namespace Cog.Runtime.Triggers;

/// <summary>Why a trigger operation was refused.</summary>
public enum TriggerErrorKind
{
    /// <summary>Not refused.</summary>
    None,

    /// <summary>The id is neither a UUID nor a possible name (<see cref="TriggerErrors.BadId"/>, HTTP 400).</summary>
    BadId,

    /// <summary>No such trigger (<see cref="TriggerErrors.NotFound"/>, HTTP 404).</summary>
    NotFound,

    /// <summary>Field errors (<see cref="TriggerResult.FieldErrors"/>, HTTP 422).</summary>
    Invalid,
}

/// <summary>The outcome of a <see cref="TriggerAdministration"/> operation: the trigger, or why not.</summary>
/// <param name="Trigger">The trigger (created, updated, found or deleted) on success.</param>
/// <param name="Error">Why it was refused.</param>
/// <param name="Message">The message of <see cref="TriggerErrorKind.BadId"/> and <see cref="TriggerErrorKind.NotFound"/>.</param>
/// <param name="FieldErrors">Field → messages for <see cref="TriggerErrorKind.Invalid"/> (API field names: <c>name</c>,
/// <c>pipeline</c>, <c>timeout_sec</c>, <c>as_user</c>).</param>
public sealed record TriggerResult(Trigger? Trigger, TriggerErrorKind Error, string? Message, IReadOnlyDictionary<string, string[]>? FieldErrors)
{
    /// <summary>Whether it succeeded.</summary>
    [MemberNotNullWhen(true, nameof(Trigger))]
    public bool IsSuccess => Error == TriggerErrorKind.None;

    /// <summary>A success.</summary>
    public static TriggerResult Ok(Trigger trigger) => new(trigger, TriggerErrorKind.None, null, null);

    /// <summary>The id is malformed.</summary>
    public static TriggerResult BadId { get; } = new(null, TriggerErrorKind.BadId, TriggerErrors.BadId, null);

    /// <summary>No such trigger.</summary>
    public static TriggerResult NotFound { get; } = new(null, TriggerErrorKind.NotFound, TriggerErrors.NotFound, null);

    /// <summary>Field errors.</summary>
    public static TriggerResult Invalid(IReadOnlyDictionary<string, string[]> errors) => new(null, TriggerErrorKind.Invalid, null, errors);
}
