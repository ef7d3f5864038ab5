namespace Cog.Runtime.Administration;

/// <summary>Why an administrative operation was refused (an expected outcome, reported as a value).</summary>
public enum AdminErrorKind
{
    /// <summary>The addressed entity does not exist (HTTP 404).</summary>
    NotFound,

    /// <summary>The given fields are invalid: <see cref="AdminError.Fields"/> says which and why (HTTP 422,
    /// <c>{"errors": {"field": ["message"]}}</c>).</summary>
    Invalid,

    /// <summary>Some of the named entities to add, remove, grant or revoke do not exist; nothing was changed
    /// (HTTP 422, <c>{"errors": {"not_found": {"users": [...]}}}</c>).</summary>
    UnknownNames,

    /// <summary>The change breaks a rule: the entity is in use or protected (HTTP 422).</summary>
    Refused,

    /// <summary>The change is never allowed through this operation (a bundle permission deleted: HTTP 403).</summary>
    Forbidden,

    /// <summary>The operation can be done only once and was done (bootstrap: HTTP 423).</summary>
    Locked,
}
