namespace Cog.Sdk;

/// <summary>The person who ran the pipeline.</summary>
/// <param name="Username">Their Cog username.</param>
/// <param name="ChatHandle">Their handle on the chat provider the command came from (for triggers: the Cog username).</param>
/// <param name="Email">Their email address, or <see langword="null"/>.</param>
public sealed record CommandUser(string Username, string ChatHandle, string? Email);
