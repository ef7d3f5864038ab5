using Cog.Runtime.Identity;

namespace Cog.Runtime.Administration;

/// <summary>A user with the groups they are a member of and their chat handles (what the API and <c>user-info</c> show).</summary>
/// <param name="User">The user.</param>
/// <param name="Groups">Their groups, by name.</param>
/// <param name="ChatHandles">Their chat handles, by provider.</param>
public sealed record UserDetails(User User, IReadOnlyList<Group> Groups, IReadOnlyList<ChatHandle> ChatHandles);
