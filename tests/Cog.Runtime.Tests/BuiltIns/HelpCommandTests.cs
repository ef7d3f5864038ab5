using Cog.Contracts.Relays;
using Cog.Language.Options;
using Cog.Language.Values;
using Cog.Runtime.BuiltIns;
using static Cog.Runtime.Tests.BuiltIns.OperableKit;

namespace Cog.Runtime.Tests.BuiltIns;

public class HelpCommandTests
{
    const string DeployManifest = """
        {"cog_bundle_version": 6, "name": "deploy", "version": "2.0.0", "description": "Deploys services",
         "author": "Platform Team", "homepage": "https://example.com/deploy",
         "config": {"notes": "Set the token.", "env": [{"var": "DEPLOY_TOKEN", "description": "API token"}]},
         "commands": {
           "release": {"type": "Acme.Release", "description": "Release a service", "arguments": "<service>",
                       "options": {"env": {"type": "string", "required": true, "short_flag": "e", "description": "Where to"},
                                   "dry-run": {"type": "bool"}},
                       "output": {"description": "One item per host", "example": "{\"host\": \"web-1\"}"},
                       "rules": ["must have deploy:admin"]},
           "status": {"executable": "/bin/status", "description": "Show status", "rules": ["allow"]},
           "gated": {"executable": "/bin/gated", "rules": ["with arg[0] == 'x' allow"]}
         }}
        """;

    readonly OperableKit _kit = new();

    public HelpCommandTests()
    {
        _kit.Directory.Bundle("deploy", "2.0.0",
            ("release", [new OptionDefinition("env", OptionType.String, true, "e"), new OptionDefinition("dry-run", OptionType.Bool)],
                ["when command is deploy:release must have deploy:admin"]),
            ("status", [], ["when command is deploy:status allow"]),
            ("gated", [], ["when command is deploy:gated with arg[0] == 'x' allow"]));
        _kit.Documentation.Add(BundleDocs.FromManifestJson(DeployManifest, isEnabled: true)!);
        _kit.Documentation.Add(new BundleDocs("old", "0.1.0", false, "An old bundle", null, null, null, [CommandDocs.Named("thing")]));
    }

    async Task<System.Text.Json.JsonElement> Help(string template, params Value[] arguments) => await Help(template, arguments, []);

    async Task<System.Text.Json.JsonElement> Help(string template, Value[] arguments, (string, Value)[] options)
    {
        var outcome = await _kit.Call("help", arguments, options);
        Assert.Equal((ResultStatus.Ok, template), (outcome.Status, outcome.Template));
        return System.Text.Json.JsonDocument.Parse(Assert.Single(outcome.Items).ToJson()).RootElement.Clone();
    }

    [Fact]
    public async Task Without_arguments_it_lists_enabled_then_disabled_bundles()
    {
        var page = await Help("help_bundles");

        Assert.Equal("""{"enabled":[{"name":"deploy","description":"Deploys services"},{"name":"operable","description":"Core chat commands for Cog"}],"disabled":[{"name":"old","description":"An old bundle"}]}""",
            page.GetRawText());
    }

    [Fact]
    public async Task A_bundle_page_marks_the_commands_the_caller_may_not_run_and_shows_its_configuration()
    {
        var page = await Help("help_bundle", S("deploy"));

        Assert.Equal("""[{"name":"deploy:gated","description":null,"access":"you may not run this without arguments: no rule allows it"},{"name":"deploy:release","description":"Release a service","access":"you may not run this: you lack 'deploy:admin'"},{"name":"deploy:status","description":"Show status","access":null}]""",
            page.GetProperty("commands").GetRawText());
        Assert.Equal("""{"notes":"Set the token.","env":[{"var":"DEPLOY_TOKEN","description":"API token"}]}""", page.GetProperty("config").GetRawText());
        Assert.Equal(("Platform Team", "https://example.com/deploy"), (page.GetProperty("author").GetString(), page.GetProperty("homepage").GetString()));
    }

    [Fact]
    public async Task A_permission_the_caller_holds_removes_the_mark()
    {
        _kit.Directory.Grant(Alice.UserId, "deploy:admin");

        var page = await Help("help_bundle", S("deploy"));

        Assert.Equal(System.Text.Json.JsonValueKind.Null, page.GetProperty("commands")[1].GetProperty("access").ValueKind);
    }

    [Fact]
    public async Task A_command_page_is_a_manual_page_with_its_access_and_output_on_request()
    {
        var page = await Help("help_command", S("deploy:release"));
        var withOutput = await Help("help_command", [S("deploy:release")], [("output", new BoolValue(true))]);

        Assert.Equal(("deploy:release", "deploy:release --env <env> [--dry-run] <service>"),
            (page.GetProperty("name").GetString(), page.GetProperty("synopsis").GetString()));
        Assert.Equal("""[{"flag":"--env <env>, -e","description":"Where to"}]""", page.GetProperty("required_options").GetRawText());
        Assert.Equal("""[{"flag":"--dry-run","description":null}]""", page.GetProperty("options").GetRawText());
        Assert.Equal("You may not run this: you lack 'deploy:admin'.", page.GetProperty("access").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, page.GetProperty("output").ValueKind);
        Assert.Equal("""{"description":"One item per host","example":"{\"host\": \"web-1\"}"}""", withOutput.GetProperty("output").GetRawText());
    }

    /// <summary>Cog 1.0's lookup (operable/cog lib/cog/commands/help.ex, lookup/1): a name without a colon that is no
    /// bundle is a command of any bundle; several words are one command name joined by hyphens.</summary>
    [Theory]
    [InlineData("sort", "operable:sort")]
    [InlineData("operable:sort", "operable:sort")]
    [InlineData("release", "deploy:release")]
    [InlineData("rule create", "operable:rule-create")]
    [InlineData("operable:rule create", "operable:rule-create")]
    public async Task A_command_is_found_without_its_bundle_and_git_style(string words, string name)
    {
        var page = await Help("help_command", [.. words.Split(' ').Select(S)]);

        Assert.Equal(name, page.GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_command_of_a_disabled_bundle_is_marked_disabled()
    {
        var page = await Help("help_bundle", S("old"));

        Assert.Equal("disabled: enable the bundle to run it", page.GetProperty("commands")[0].GetProperty("access").GetString());
    }

    /// <summary>Cog 1.0's texts (operable/cog lib/cog/commands/help.ex, error_msg/1).</summary>
    [Theory]
    [InlineData("nope", "Could not find a bundle or a command in any bundle with the name 'nope'. Check the name and try again.")]
    [InlineData("deploy:nope", "Command 'deploy:nope' not found. Check the bundle and command name and try again.")]
    [InlineData("nope:echo", "Command 'nope:echo' not found. Check the bundle and command name and try again.")]
    [InlineData("rule nope", "Could not find a command in any bundle with the name 'rule-nope'. Check the name and try again.")]
    [InlineData("my bundle:echo", "Invalid bundle name 'my bundle'. Check the name and try again.")]
    [InlineData("thing", "Multiple bundles contain a command with the name 'thing'.\nPlease specify which command by using the command's fully qualified name.\n\nold:thing\nother:thing")]
    public async Task An_unknown_or_ambiguous_name_is_reported_as_cog_1_did(string words, string message)
    {
        _kit.Documentation.Add(new BundleDocs("other", "1.0.0", true, null, null, null, null, [CommandDocs.Named("thing")]));

        var outcome = await _kit.Call("help", [.. words.Split(' ').Select(S)]);

        Assert.Equal((ResultStatus.Error, message), (outcome.Status, outcome.Message));
    }
}
