using Cog.Language.Options;
using Cog.Manifest;
using Cog.Relay.Execution;
using Cog.Relay.Execution.Executables;
using Cog.Sdk;
using static Cog.Relay.Tests.Execution.Executables.ExecutableTestKit;

namespace Cog.Relay.Tests.Execution.Executables;

public class ExecutableEnvironmentTests
{
    static Dictionary<string, string> Build(CommandContext context, CommandManifest? command = null, ServiceEndpoint? services = null) =>
        ExecutableEnvironment.Build(Invocation(command ?? ExecutableTestKit.Command("/bin/true"), "/tmp", context, services), RelayEnvironment);

    static Dictionary<string, string> Cog(Dictionary<string, string> variables) =>
        variables.Where(v => v.Key.StartsWith("COG_", StringComparison.Ordinal)).ToDictionary();

    [Fact]
    public void Arguments_are_counted_and_rendered_as_text()
    {
        var env = Build(Context(arguments: ["\"two words\"", "5", "2.50", "true", "false", """{ "a" : [1, 2] }""", "[ \"x\" , 3 ]", "null", "\"\""]));

        Assert.Equal("9", env["COG_ARGC"]);
        Assert.Equal(["two words", "5", "2.50", "true", "false", """{"a":[1,2]}""", """["x",3]""", "", ""],
            Enumerable.Range(0, 9).Select(i => env[$"COG_ARGV_{i}"]).ToArray());
        Assert.False(env.ContainsKey("COG_ARGV_9"));
    }

    [Fact]
    public void No_arguments_is_argc_zero()
    {
        var env = Build(Context());

        Assert.Equal("0", env["COG_ARGC"]);
        Assert.DoesNotContain(env.Keys, k => k.StartsWith("COG_ARGV_", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_options_cog_opts_is_unset()
    {
        var env = Build(Context());

        Assert.False(env.ContainsKey("COG_OPTS"));
        Assert.DoesNotContain(env.Keys, k => k.StartsWith("COG_OPT_", StringComparison.Ordinal));
    }

    [Fact]
    public void Scalar_options_are_upper_cased_and_listed_in_cog_opts()
    {
        var env = Build(Context(options: new Dictionary<string, string> { ["region"] = "\"us-east-1\"", ["count"] = "3", ["force"] = "true", ["ratio"] = "0.5" }));

        Assert.Equal("region,count,force,ratio", env["COG_OPTS"]);
        Assert.Equal(("us-east-1", "3", "true", "0.5"), (env["COG_OPT_REGION"], env["COG_OPT_COUNT"], env["COG_OPT_FORCE"], env["COG_OPT_RATIO"]));
    }

    [Fact]
    public void A_hyphenated_option_is_exported_with_the_hyphen_and_with_an_underscore()
    {
        var env = Build(Context(options: new Dictionary<string, string> { ["dry-run"] = "true" }));

        Assert.Equal("dry-run", env["COG_OPTS"]);
        Assert.Equal("true", env["COG_OPT_DRY-RUN"]);
        Assert.Equal("true", env["COG_OPT_DRY_RUN"]);
    }

    [Fact]
    public void A_list_option_is_exported_as_count_and_elements_without_the_plain_name()
    {
        var env = Build(Context(options: new Dictionary<string, string> { ["tag"] = """["a", 2, {"k": "v"}]""", ["ex-tag"] = "[]" }));

        Assert.Equal(("3", "a", "2", """{"k":"v"}"""), (env["COG_OPT_TAG_COUNT"], env["COG_OPT_TAG_0"], env["COG_OPT_TAG_1"], env["COG_OPT_TAG_2"]));
        Assert.False(env.ContainsKey("COG_OPT_TAG"));
        Assert.Equal(("0", "0"), (env["COG_OPT_EX-TAG_COUNT"], env["COG_OPT_EX_TAG_COUNT"]));
        Assert.False(env.ContainsKey("COG_OPT_EX_TAG"));
        Assert.Equal("tag,ex-tag", env["COG_OPTS"]);
    }

    [Fact]
    public void A_list_typed_option_given_one_value_is_a_one_element_list()
    {
        var command = ExecutableTestKit.Command("/bin/true", options: [new OptionDefinition("tag", OptionType.List)]);
        var env = Build(Context(options: new Dictionary<string, string> { ["tag"] = "\"only\"" }), command);

        Assert.Equal(("1", "only"), (env["COG_OPT_TAG_COUNT"], env["COG_OPT_TAG_0"]));
        Assert.False(env.ContainsKey("COG_OPT_TAG"));
    }

    [Fact]
    public void The_caller_and_the_invocation_are_described()
    {
        var env = Build(Context(bundle: "deploy", command: "status", user: new CommandUser("ada", "ada.l", "ada@example.com"), room: new CommandRoom("ops", false)));

        Assert.Equal("deploy", env["COG_BUNDLE"]);
        Assert.Equal("status", env["COG_COMMAND"]);
        Assert.Equal("ada.l", env["COG_CHAT_HANDLE"]);
        Assert.Equal("ada", env["COG_USERNAME"]);
        Assert.Equal("ada@example.com", env["COG_EMAIL"]);
        Assert.Equal("ops", env["COG_ROOM"]);
        // E1: the pipeline id, not Cog 1.0's stage index.
        Assert.Equal("6f1c2a9e-pipeline", env["COG_PIPELINE_ID"]);
        Assert.Equal("b7d4e0c3-invocation", env["COG_INVOCATION_ID"]);
    }

    [Fact]
    public void A_traced_invocation_gives_the_command_its_w3c_trace_context_and_an_untraced_one_none()
    {
        const string parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        var traced = Build(Context(traceParent: parent, traceState: "cog=1"));
        var untraced = Build(Context());

        Assert.Equal((parent, "cog=1"), (traced["TRACEPARENT"], traced["TRACESTATE"]));
        Assert.False(untraced.ContainsKey("TRACEPARENT"));
        Assert.False(untraced.ContainsKey("TRACESTATE"));
    }

    [Fact]
    public void A_direct_message_is_room_direct_and_a_missing_email_is_empty()
    {
        var env = Build(Context(room: new CommandRoom("D024BE7LR", IsDirect: true), user: new CommandUser("ada", "ada", null)));

        Assert.Equal("direct", env["COG_ROOM"]);
        Assert.Equal("", env["COG_EMAIL"]);
    }

    [Theory]
    [InlineData(InvocationStep.First, "first")]
    [InlineData(InvocationStep.Last, "last")]
    [InlineData(InvocationStep.Middle, null)]
    public void The_invocation_step_is_first_last_or_unset(InvocationStep step, string? expected)
    {
        var env = Build(Context(step: step));

        Assert.Equal(expected, env.GetValueOrDefault("COG_INVOCATION_STEP"));
    }

    [Fact]
    public void Services_are_exported_only_when_offered()
    {
        Assert.False(Build(Context()).ContainsKey("COG_SERVICES_ROOT"));
        Assert.False(Build(Context()).ContainsKey("COG_SERVICE_TOKEN"));

        var env = Build(Context(), services: new ServiceEndpoint(new Uri("http://cog.example:4002"), "tok-123"));

        Assert.Equal("http://cog.example:4002", env["COG_SERVICES_ROOT"]);
        Assert.Equal("tok-123", env["COG_SERVICE_TOKEN"]);
    }

    [Fact]
    public void Only_the_listed_relay_variables_are_passed_through()
    {
        var env = Build(Context());

        Assert.Equal(["HOME", "LANG", "PATH", "TMPDIR", "TZ"], env.Keys.Where(k => !k.StartsWith("COG_", StringComparison.Ordinal)).Order().ToArray());
        Assert.Equal(["PATH", "HOME", "LANG", "TZ", "TMPDIR"], ExecutableEnvironment.PassedThrough);
    }

    [Fact]
    public void The_relay_process_environment_is_read_only_for_the_listed_names()
    {
        var relay = ExecutableEnvironment.ReadRelayEnvironment();

        Assert.All(relay.Keys, k => Assert.Contains(k, ExecutableEnvironment.PassedThrough));
        Assert.Equal(Environment.GetEnvironmentVariable("PATH"), relay.GetValueOrDefault("PATH"));
    }

    [Fact]
    public void Env_vars_then_configuration_override_earlier_sources_but_never_cog_variables()
    {
        var command = ExecutableTestKit.Command("/bin/true", environment: new Dictionary<string, string>
        {
            ["LC_ALL"] = "C",
            ["REGION"] = "from-manifest",
            ["TZ"] = "Europe/Paris",
            ["COG_BUNDLE"] = "forged",
            ["RELAY_ID"] = "forged",
            ["cog_argc"] = "forged",
        });
        var configuration = new Dictionary<string, string>
        {
            ["REGION"] = "from-config",
            ["API_KEY"] = "k",
            ["COG_ROOM"] = "forged",
            ["Relay_Token"] = "forged",
            ["BAD=NAME"] = "x",
        };
        var env = Build(Context(configuration: configuration), command);

        Assert.Equal(("C", "from-config", "Europe/Paris", "k"), (env["LC_ALL"], env["REGION"], env["TZ"], env["API_KEY"]));
        Assert.Equal(("demo", "ops"), (env["COG_BUNDLE"], env["COG_ROOM"]));
        Assert.DoesNotContain(env.Keys, k => k.StartsWith("RELAY_", StringComparison.OrdinalIgnoreCase) || k == "cog_argc" || k.Contains('=', StringComparison.Ordinal));
    }

    [Fact]
    public void Cog_variables_are_exactly_the_documented_ones()
    {
        var env = Cog(Build(Context(arguments: ["1"], options: new Dictionary<string, string> { ["v"] = "true" }, step: InvocationStep.First),
            services: new ServiceEndpoint(new Uri("http://h:4002/"), "t")));

        Assert.Equal(
            ["COG_ARGC", "COG_ARGV_0", "COG_BUNDLE", "COG_CHAT_HANDLE", "COG_COMMAND", "COG_EMAIL", "COG_INVOCATION_ID", "COG_INVOCATION_STEP",
             "COG_OPTS", "COG_OPT_V", "COG_PIPELINE_ID", "COG_ROOM", "COG_SERVICES_ROOT", "COG_SERVICE_TOKEN", "COG_USERNAME"],
            env.Keys.Order(StringComparer.Ordinal).ToArray());
    }
}
