namespace Cog.Runtime.Triggers;

/// <summary>A trigger: a named pipeline bound to an HTTP endpoint.</summary>
/// <param name="Id">UUID string.</param>
/// <param name="Name">Unique, <c>^[A-Za-z0-9_\-.]+$</c> (validated by the caller).</param>
/// <param name="Pipeline">The pipeline text.</param>
/// <param name="Description">Optional.</param>
/// <param name="AsUser">The Cog username it runs as, or <see langword="null"/> (the request's token owner).</param>
/// <param name="TimeoutSeconds">Greater than zero.</param>
/// <param name="Enabled">Whether it may be invoked.</param>
/// <param name="AllowCrossOrigin">Whether a request that a page of another site made a browser send may invoke it
/// (<see cref="TriggerInvocation.CrossOrigin"/>); false refuses them (cross-site request forgery).</param>
public sealed record Trigger(string Id, string Name, string Pipeline, string? Description, string? AsUser, int TimeoutSeconds, bool Enabled,
    bool AllowCrossOrigin);
