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

    async Task<string> Help(params Value[] arguments) => await Help(arguments, []);

    async Task<string> Help(Value[] arguments, (string, Value)[] options)
    {
        var outcome = await _kit.Call("help", arguments, options);
        Assert.Equal((ResultStatus.Ok, "text"), (outcome.Status, outcome.Template));
        var body = Assert.IsType<ListValue>(((ObjectValue)Assert.Single(outcome.Items)).Members.Single(m => m.Key == "body").Value);
        return ((StringValue)Assert.Single(body.Items)).Text;
    }

    [Fact]
    public async Task Without_arguments_it_lists_enabled_then_disabled_bundles()
    {
        Assert.Equal("""
            ```
            ENABLED BUNDLES
              * deploy - Deploys services
              * operable - Core chat commands for Cog

            DISABLED BUNDLES
              * old - An old bundle

            To learn more about a specific bundle and the commands available within it,
            you can use `operable:help <bundle>`.
            ```
            """.ReplaceLineEndings("\n"), await Help());
    }

    [Fact]
    public async Task A_bundle_page_marks_the_commands_the_caller_may_not_run()
    {
        Assert.Equal("""
            ```
            NAME
              deploy - Deploys services

            COMMANDS
              * deploy:gated (you may not run this without arguments: no rule allows it)
              * deploy:release - Release a service (you may not run this: you lack 'deploy:admin')
              * deploy:status - Show status

              For details about a specific command, you can use `operable:help <bundle:command>`,
              for example `operable:help deploy:release`.

            AUTHOR
              Platform Team

            HOMEPAGE
              https://example.com/deploy
            ```
            """.ReplaceLineEndings("\n"), await Help(S("deploy")));
    }

    [Fact]
    public async Task A_permission_the_caller_holds_removes_the_mark()
    {
        _kit.Directory.Grant(Alice.UserId, "deploy:admin");

        Assert.DoesNotContain("deploy:release - Release a service (", await Help(S("deploy")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_page_is_a_manual_page_with_its_access_and_output_on_request()
    {
        const string Page = """
            ```
            NAME
              deploy:release - Release a service

            SYNOPSIS
              deploy:release --env <env> [--dry-run] <service>

            REQUIRED OPTIONS
              --env <env>, -e
                Where to

            OPTIONS
              --dry-run
            {0}
            ACCESS
              You may not run this: you lack 'deploy:admin'.

            AUTHOR
              Platform Team

            HOMEPAGE
              https://example.com/deploy
            ```
            """;
        const string Output = "\nOUTPUT\n  One item per host\n\n  Example:\n  {\"host\": \"web-1\"}\n";

        Assert.Equal(string.Format(null, Page, "").ReplaceLineEndings("\n"), await Help(S("deploy:release")));
        Assert.Equal(string.Format(null, Page, Output).ReplaceLineEndings("\n"), await Help([S("deploy:release")], [("output", new BoolValue(true))]));
    }

    [Fact]
    public async Task The_built_in_bundle_documents_itself_from_its_manifest()
    {
        var page = await Help(S("operable:sort"));

        Assert.StartsWith("```\nNAME\n  operable:sort - Sort inputs by field\n", page, StringComparison.Ordinal);
        Assert.Contains("SYNOPSIS\n  operable:sort [--desc] [--asc] [field ...]\n", page, StringComparison.Ordinal);
        Assert.Contains("--desc, -d\n    Sort in descending order", page, StringComparison.Ordinal);
        Assert.DoesNotContain("ACCESS", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_of_a_disabled_bundle_is_marked_disabled()
    {
        Assert.Contains("* old:thing (disabled: enable the bundle to run it)", await Help(S("old")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nope", "Bundle \"nope\" not found")]
    [InlineData("deploy:nope", "Command \"deploy:nope\" not found")]
    [InlineData("nope:echo", "Command \"nope:echo\" not found")]
    [InlineData("a:b:c", "Command \"a:b:c\" not found")]
    public async Task An_unknown_bundle_or_command_is_reported(string target, string message)
    {
        var outcome = await _kit.Call("help", [S(target)]);

        Assert.Equal((ResultStatus.Error, message), (outcome.Status, outcome.Message));
    }

    [Fact]
    public async Task Help_takes_at_most_one_argument()
    {
        var outcome = await _kit.Call("help", [S("a"), S("b")]);

        Assert.Equal((ResultStatus.Error, "Too many args. Arguments required: maximum of 1."), (outcome.Status, outcome.Message));
    }
}
