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
