using Cog.Contracts.Relays;
using Cog.Language.Values;
using Cog.Manifest;
using Cog.Runtime.BuiltIns;
using static Cog.Runtime.Tests.BuiltIns.OperableKit;

namespace Cog.Runtime.Tests.BuiltIns;

public class BuiltInCommandsTests
{
    readonly OperableKit _kit = new();

    [Fact]
    public async Task The_manifest_lists_exactly_the_built_in_commands_with_the_rules_of_the_reference()
    {
        await using var world = await Pipeline.RunnerWorld.OpenAsync();
        Assert.Equal(world.Commands.CommandNames, Operable.Commands.Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.DoesNotContain("history", _kit.Commands.CommandNames);
        Assert.All(Operable.Commands, c => Assert.Equal(CommandKind.BuiltIn, c.Kind));
        Assert.All(Operable.Commands, c => Assert.Equal(RulesOf(c.Name), c.Rules));
        Assert.All(Operable.Commands, c => Assert.False(string.IsNullOrWhiteSpace(c.Description), c.Name));
    }

    /// <summary>Cog 1.0's built-in rules: the administrative commands need their operable permission; everything else is allowed.</summary>
    static string[] RulesOf(string command)
    {
        string[] permissions = command switch
        {
            "permission-grant" or "permission-revoke" => ["manage_permissions", "manage_roles"],
            "group-member-add" or "group-member-remove" => ["manage_groups", "manage_users"],
            _ when command.StartsWith("bundle-", StringComparison.Ordinal) || command.StartsWith("rule-", StringComparison.Ordinal) => ["manage_commands"],
            _ when command.StartsWith("permission-", StringComparison.Ordinal) => ["manage_permissions"],
            _ when command.StartsWith("role-", StringComparison.Ordinal) => ["manage_roles"],
            _ when command.StartsWith("group-", StringComparison.Ordinal) => ["manage_groups"],
            _ when command.StartsWith("user-", StringComparison.Ordinal) => ["manage_users"],
            _ when command.StartsWith("relay-", StringComparison.Ordinal) => ["manage_relays"],
            _ when command.StartsWith("trigger-", StringComparison.Ordinal) => ["manage_triggers"],
            _ => [],
        };
        // Ours on top of Cog 1.0's: changing a site alias changes what everybody's words mean, so it needs a permission.
        string[] siteAliases = command switch
        {
            "alias-delete" => ["when command is operable:alias-delete with arg[0] == /^site:/ must have operable:manage_site_aliases"],
            "alias-move" => ["when command is operable:alias-move with arg[0] == /^site:/ or arg[1] == /^site(:|$)/ must have operable:manage_site_aliases"],
            _ => [],
        };
        return permissions.Length == 0
            ? [$"when command is operable:{command} allow", .. siteAliases]
            : [.. permissions.Select(p => $"when command is operable:{command} must have operable:{p}")];
    }

    [Fact]
    public void The_bundle_name_is_the_manifests()
    {
        Assert.Equal(BuiltInCommands.BundleName, Operable.Name);
    }

    [Fact]
    public async Task A_call_for_another_bundle_is_an_error()
    {
        var call = new Runtime.Pipeline.CommandCall("p", "i", 0, "tools", "1.0.0", "echo", Language.Options.CommandInput.Empty, new ObjectValue([]),
            ItemStep.Last, Alice, Pipeline.Some.Ops, TimeSpan.FromSeconds(1), "tools:echo");

        var outcome = await _kit.Commands.ExecuteAsync(call, TestContext.Current.CancellationToken);

        Assert.Equal((ResultStatus.Error, "'tools:echo' is not a built-in command."), (outcome.Status, outcome.Message));
    }

    [Fact]
    public void Messages_for_the_stopped_and_timed_out_cases_name_the_invocation()
    {
        Assert.Equal("The `operable:sleep 5` command timed out after 2.5 seconds.", BuiltInMessages.TimedOut("operable:sleep 5", TimeSpan.FromSeconds(2.5)));
        Assert.Equal("The `operable:sleep 5` command was stopped before it finished.", BuiltInMessages.Stopped("operable:sleep 5"));
        Assert.Equal("The `operable:x` command failed unexpectedly: boom", BuiltInMessages.Failed("operable:x", "boom"));
    }

    [Fact]
    public void Documentation_is_read_from_a_stored_manifest()
    {
        var docs = BundleDocs.FromManifestJson("""
            {"name": "b", "version": "1.0.0", "description": "d", "commands": {"c": {"description": "cd", "arguments": "<x>",
             "options": {"o": {"type": "int", "required": true, "short_flag": "-o", "description": "od"}}}}}
            """, isEnabled: false)!;

        Assert.Equal(("b", "1.0.0", false, "d"), (docs.Name, docs.Version, docs.IsEnabled, docs.Description));
        var command = Assert.Single(docs.Commands);
        Assert.Equal(("c", "cd", "<x>"), (command.Name, command.Description, command.Arguments));
        Assert.Equal(new OptionDocs("o", Language.Options.OptionType.Int, true, "o", "od"), Assert.Single(command.Options));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1]")]
    [InlineData("""{"version": "1.0.0"}""")]
    public void Documentation_of_something_that_is_not_a_manifest_is_null(string json)
    {
        Assert.Null(BundleDocs.FromManifestJson(json, isEnabled: true));
    }

    [Fact]
    public async Task Static_documentation_serves_the_bundles_it_was_given()
    {
        var docs = new StaticBundleDocumentation([new BundleDocs("b", "1.0.0", true, null, null, null, null, [])]);

        var bundles = await docs.GetBundlesAsync(TestContext.Current.CancellationToken);

        Assert.Equal("b", Assert.Single(bundles).Name);
    }
}
