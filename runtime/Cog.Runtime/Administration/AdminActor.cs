namespace Cog.Runtime.Administration;

/// <summary>Who makes an administrative change and through what: the actor and origin of its audit record
/// (<see cref="AdminAudit.RecordAsync"/>).</summary>
/// <param name="Username">The acting Cog username, or <see langword="null"/> for the system.</param>
/// <param name="Origin"><c>api</c>, <c>chat</c> or <c>system</c>.</param>
public readonly record struct AdminActor(string? Username, string Origin)
{
    /// <summary>A change made through the REST API by <paramref name="username"/>.</summary>
    public static AdminActor Api(string username) => new(username, "api");

    /// <summary>A change made by a chat command of <paramref name="username"/>.</summary>
    public static AdminActor Chat(string username) => new(username, "chat");

    /// <summary>A change made by the server itself (bootstrap, start-up).</summary>
    public static AdminActor System => new(null, "system");
}
