namespace Cog.Runtime.Administration;

/// <summary>An expected failure of an administrative operation, with the message to show (from
/// <see cref="IdentityMessages"/> or <c>StoreErrors</c>).</summary>
/// <param name="Kind">What kind of failure.</param>
/// <param name="Message">The user-facing message (for <see cref="AdminErrorKind.Invalid"/> and
/// <see cref="AdminErrorKind.UnknownNames"/>, a one-line summary of the details).</param>
public sealed record AdminError(AdminErrorKind Kind, string Message)
{
    /// <summary>For <see cref="AdminErrorKind.Invalid"/>: field (snake_case, as in the API) → messages.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Fields { get; init; }

    /// <summary>For <see cref="AdminErrorKind.UnknownNames"/>: what was looked up (<c>users</c>, <c>roles</c>,
    /// <c>permissions</c>).</summary>
    public string? NameKind { get; init; }

    /// <summary>For <see cref="AdminErrorKind.UnknownNames"/>: the names that do not exist, in the order given.</summary>
    public IReadOnlyList<string>? Names { get; init; }

    /// <summary>A <see cref="AdminErrorKind.NotFound"/> error.</summary>
    public static AdminError NotFound(string message) => new(AdminErrorKind.NotFound, message);

    /// <summary>A <see cref="AdminErrorKind.Refused"/> error.</summary>
    public static AdminError Refused(string message) => new(AdminErrorKind.Refused, message);

    /// <summary>An <see cref="AdminErrorKind.Invalid"/> error on one field.</summary>
    public static AdminError Invalid(string field, string message) => Invalid(new Dictionary<string, IReadOnlyList<string>> { [field] = [message] });

    /// <summary>An <see cref="AdminErrorKind.Invalid"/> error on several fields.</summary>
    public static AdminError Invalid(IReadOnlyDictionary<string, IReadOnlyList<string>> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return new(AdminErrorKind.Invalid, IdentityMessages.InvalidFields(fields)) { Fields = fields };
    }

    /// <summary>An <see cref="AdminErrorKind.UnknownNames"/> error.</summary>
    public static AdminError UnknownNames(string kind, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        return new(AdminErrorKind.UnknownNames, IdentityMessages.UnknownNames(kind, names)) { NameKind = kind, Names = names };
    }
}
