namespace Cog.Runtime.Triggers;

/// <summary>The catalog of trigger messages: Cog 1.0's texts (the trigger
/// controllers and Ecto's changeset messages). Tests pin them.</summary>
public static class TriggerErrors
{
    /// <summary>No trigger has this id or name (404).</summary>
    public const string NotFound = "Trigger not found";

    /// <summary>The id is neither a UUID nor a possible trigger name (400).</summary>
    public const string BadId = "Bad ID format";

    /// <summary>Invoking a disabled trigger (422).</summary>
    public const string NotEnabled = "Trigger is not enabled";

    /// <summary>Invoking a trigger whose <c>as_user</c> no longer exists (422).</summary>
    public const string UserMissing = "Configured trigger user does not exist";

    /// <summary>Invoking a trigger by name without a token (401): names are not secret, ids are.</summary>
    public const string NameNeedsToken =
        "A trigger named in the URL needs an Authorization: token header; without one, invoke the trigger by its id (its invocation_url).";

    /// <summary>A cross-origin request to a trigger that does not allow them (403).</summary>
    public const string CrossOriginRefused =
        "This trigger does not accept cross-origin requests (a page of another site sent this one); its allow_cross_origin setting would allow them.";

    /// <summary>Invoking by name a trigger that runs as another user, without <c>operable:manage_triggers</c> (403).</summary>
    public static string NameNeedsPermission(string asUser) =>
        $"This trigger runs as {asUser}: invoking it by name needs operable:manage_triggers; without it, invoke the trigger by its id.";

    /// <summary>Field error: a required field is missing or blank.</summary>
    public const string Blank = "can't be blank";

    /// <summary>Field error: the name does not match <c>^[A-Za-z0-9_\-.]+$</c>.</summary>
    public const string InvalidFormat = "has invalid format";

    /// <summary>Field error: the timeout is not positive.</summary>
    public const string NotPositive = "must be greater than 0";

    /// <summary>Field error: another trigger has the name.</summary>
    public const string Taken = "has already been taken";

    /// <summary>Field error: <c>as_user</c> names no user.</summary>
    public const string NoSuchUser = "does not exist";

    /// <summary>Field error: the value has the wrong type.</summary>
    public const string Invalid = "is invalid";

    /// <summary>The pipeline ended early (a stage produced no output).</summary>
    public const string TerminatedEarly = "Terminated early";

    /// <summary>The <c>status</c> of a 202 answer: the pipeline goes on after the trigger's timeout.</summary>
    public static string StillProcessing(int timeoutSeconds) => $"Request accepted and still processing after {timeoutSeconds} seconds";
}
