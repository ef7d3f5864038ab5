using Cog.Runtime.Chat;

namespace Cog.Runtime.Tests.Chat;

public sealed class DestinationTargetTests
{
    [Theory]
    [InlineData("here", "Origin", null, "Here", "")]
    [InlineData("HERE", "Origin", null, "Here", "")]
    [InlineData("me", "Origin", null, "Me", "")]
    [InlineData("#ops", "Origin", null, "Room", "ops")]
    [InlineData("@bob", "Origin", null, "User", "bob")]
    [InlineData("ops", "Origin", null, "Name", "ops")]
    [InlineData("my room", "Origin", null, "Name", "my room")]
    [InlineData("chat://#ops", "Chat", null, "Room", "ops")]
    [InlineData("chat://@bob", "Chat", null, "User", "bob")]
    [InlineData("chat://me", "Chat", null, "Me", "")]
    [InlineData("chat://here", "Chat", null, "Name", "here")]
    [InlineData("Slack://#ops", "Named", "slack", "Room", "ops")]
    [InlineData("web://@alice", "Named", "web", "User", "alice")]
    [InlineData("web://general", "Named", "web", "Name", "general")]
    [InlineData("chat://", "Chat", null, "Malformed", "")]
    [InlineData("#", "Origin", null, "Malformed", "")]
    [InlineData("://x", "Origin", null, "Name", "://x")]
    [InlineData("a b://x", "Origin", null, "Name", "a b://x")]
    public void Targets_are_classified_by_scheme_and_sigil(string text, string scope, string? provider, string kind, string name) =>
        Assert.Equal(new DestinationTarget(text, Enum.Parse<TargetScope>(scope), provider, Enum.Parse<TargetKind>(kind), name), DestinationTarget.Parse(text));
}
