using Cog.Runtime.Pipeline;

namespace Cog.Runtime.Tests.Pipeline;

public sealed class CommandRouterTests
{
    static CommandCall Call(string bundle) => new("p", "i", 0, bundle, "1.0.0", "echo", Cog.Language.Options.CommandInput.Empty,
        new Cog.Language.Values.ObjectValue([]), Cog.Contracts.Relays.ItemStep.Last, Some.Alice, Some.Ops, TimeSpan.FromSeconds(1), bundle + ":echo");

    [Theory]
    [InlineData("operable", "built-in")]
    [InlineData("deploy", "relay")]
    [InlineData("Operable", "relay")]
    public async Task Commands_of_the_built_in_bundle_run_in_the_server_and_the_rest_on_relays(string bundle, string expected)
    {
        var builtIns = new FakeExecutor().On($"{bundle}:echo", _ => CommandOutcome.Error("built-in"));
        var relays = new FakeExecutor().On($"{bundle}:echo", _ => CommandOutcome.Error("relay"));
        var router = new CommandRouter(builtIns, relays);

        var outcome = await router.ExecuteAsync(Call(bundle), TestContext.Current.CancellationToken);

        Assert.Equal(expected, outcome.Message);
    }
}
