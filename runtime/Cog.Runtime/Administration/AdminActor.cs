namespace Cog.Runtime.Administration;

/// <summary>Who makes an administrative change and through what: the actor and origin of its audit record
/// (<see cref="AdminAudit"/>).</summary>
/// <param name="Username">The acting Cog username, or <see langword="null"/> for the system (bootstrap).</param>
/// <param name="Origin"><c>api</c>, <c>chat</c> or <c>system</c>.</param>
public sealed record AdminActor(string? Username, string Origin)
{
    /// <summary>Origin of changes made through the REST API.</summary>
    public const string ApiOrigin = "api";

    /// <summary>Origin of changes made by chat commands.</summary>
    public const string ChatOrigin = "chat";

    /// <summary>Origin of changes the server makes on its own.</summary>
    public const string SystemOrigin = "system";

    /// <summary>The server itself (environment bootstrap).</summary>
    public static AdminActor System { get; } = new(null, SystemOrigin);

    /// <summary>A user acting through the REST API.</summary>
    public static AdminActor Api(string? username) => new(username, ApiOrigin);

    /// <summary>A user acting through a chat command.</summary>
    public static AdminActor Chat(string username) => new(username, ChatOrigin);
}
