using Cog.Runtime.Chat;

namespace Cog.Runtime.Tests.Chat;

public sealed class InvalidRedirectsTests
{
    [Fact]
    public void Every_invalid_target_is_listed_on_the_first_line_in_the_order_written()
    {
        var message = InvalidRedirects.Message([("#a", TargetProblem.NotFound), ("me", TargetProblem.NotFromHere)], ["slack"]);

        Assert.Equal("No commands were executed because the following redirects are invalid: #a, me", message);
    }

    [Fact]
    public void Each_kind_of_problem_adds_its_hint_line()
    {
        var message = InvalidRedirects.Message([
            ("#a", TargetProblem.NotAMember), ("b", TargetProblem.Ambiguous), ("x://c", TargetProblem.UnknownProvider),
            ("chat://#d", TargetProblem.NoChatProvider), ("web://me", TargetProblem.NoHandle), ("slack://#e", TargetProblem.Unreachable),
            ("#f", TargetProblem.NotAMember)], ["slack", "web"]);

        Assert.Equal(
            "No commands were executed because the following redirects are invalid: #a, b, x://c, chat://#d, web://me, slack://#e, #f\n"
            + "Additionally, the bot must be invited to these rooms before Cog can redirect to them: #a, #f\n"
            + "The following redirects are ambiguous; please refer to users and rooms according to the conventions of your chat provider (e.g. `@user`, `#room`): b\n"
            + "These redirects name a chat provider that is not running: x://c (running: slack, web)\n"
            + "No chat provider is running, so these redirects cannot be delivered: chat://#d\n"
            + "You have no chat handle on the chat provider of these redirects: web://me\n"
            + "The chat provider could not be reached to look these redirects up: slack://#e",
            message);
    }

    [Fact]
    public void The_unknown_provider_hint_says_when_none_is_running() =>
        Assert.EndsWith("x://c (no chat provider is running)", InvalidRedirects.Message([("x://c", TargetProblem.UnknownProvider)], []), StringComparison.Ordinal);
}
