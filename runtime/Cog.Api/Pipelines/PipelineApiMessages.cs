using System.Globalization;

namespace Cog.Api.Pipelines;

/// <summary>The messages of the pipeline endpoints. Tests pin them.</summary>
public static class PipelineApiMessages
{
    /// <summary>404: no running pipeline and no history entry has this id.</summary>
    public const string NotFound = "Pipeline not found";

    /// <summary>Field error: <c>user</c> or <c>as_user</c> names no user.</summary>
    public const string NoSuchUser = "does not exist";

    /// <summary>422 for explain: <c>as_user</c> names no user. A sentence a person reads as is (the console and cogctl show
    /// it unchanged), not a field error.</summary>
    public static string UnknownUser(string username) =>
        $"No user is named {username}: give the username of an existing Cog user (cogctl user list shows them)";

    /// <summary>An explanation's <c>advice</c> when a stage is denied for lack of permissions: which ones, and how an
    /// administrator grants them (a permission is held through a role of one of the user's groups).</summary>
    public static string GrantAdvice(string username, IReadOnlyList<string> missing)
    {
        ArgumentNullException.ThrowIfNull(missing);
        var example = missing.Count > 0 ? missing[0] : "BUNDLE:PERMISSION";
        return $"{username} lacks {string.Join(", ", missing)}. To allow it, an administrator grants it to a role and that role to one of "
            + $"{username}'s groups: cogctl role grant ROLE {example}, then cogctl group grant GROUP ROLE (cogctl user info {username} lists the groups).";
    }

    /// <summary>Field error: <c>state</c> is neither <c>running</c> nor <c>finished</c>.</summary>
    public const string BadState = "must be running or finished";

    /// <summary>Field error: <c>limit</c> is not a number from 1 to 1000.</summary>
    public const string BadLimit = "must be a number from 1 to 1000";

    /// <summary>Field error: a member has the wrong JSON type.</summary>
    public const string NotString = "must be a string";

    /// <summary>Field error: <c>pipeline</c> is longer than the pipeline language allows.</summary>
    public static string TooLong(int length, int limit) =>
        string.Create(CultureInfo.InvariantCulture, $"must be at most {limit:N0} characters (this one has {length:N0})");

    /// <summary>422 for <c>DELETE</c>: the pipeline exists but has ended.</summary>
    public static string NotRunning(string id) => $"Pipeline {id} is not running";
}
