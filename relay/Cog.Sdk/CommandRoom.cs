namespace Cog.Sdk;

/// <summary>The room the pipeline was typed in.</summary>
/// <param name="Name">The room name without <c>#</c>; <c>direct</c> for direct messages and for triggers.</param>
/// <param name="IsDirect">Whether it is a direct message (or a non-chat origin such as a trigger).</param>
public sealed record CommandRoom(string Name, bool IsDirect);
