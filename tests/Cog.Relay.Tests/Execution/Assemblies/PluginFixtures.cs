using System.Collections.Immutable;
using System.Text.Json;
using Cog.Manifest;
using Cog.Relay.Execution;
using Cog.Relay.Tests.Support;
using Cog.Sdk;

namespace Cog.Relay.Tests.Execution.Assemblies;

/// <summary>Where the fixture bundles were built to (the test project copies each to fixtures/&lt;project&gt;/), and
/// invocations of their commands.</summary>
static class PluginFixtures
{
    public const string GreeterV1 = "Cog.Fixtures.Greeter.V1";
    public const string GreeterV2 = "Cog.Fixtures.Greeter.V2";
    public const string Misbehaving = "Cog.Fixtures.Misbehaving";
    public const string OldYaml = "Cog.Fixtures.OldYaml";

    public static string Folder(string project) => Path.Combine(AppContext.BaseDirectory, "fixtures", project);

    /// <summary>The assembly file name each fixture builds (both greeter versions build the same name).</summary>
    public static string AssemblyFile(string project) =>
        project is GreeterV1 or GreeterV2 ? "Cog.Fixtures.Greeter.dll" : project + ".dll";


    public static CommandInvocation Invocation(
        string bundle, string folder, string type, string[]? arguments = null, IPipelineStore? store = null,
        ICommandLog? log = null, string command = "run", CommandOptions? options = null, JsonElement? input = null)
    {
        var context = new CommandContext
        {
            Bundle = bundle,
            Command = command,
            PipelineId = "pipeline-1",
            InvocationId = "invocation-1",
            Arguments = new CommandArguments((arguments ?? []).Select(a => JsonSerializer.SerializeToElement(a))),
            Options = options ?? CommandOptions.Empty,
            Input = input ?? JsonSerializer.SerializeToElement(new { }),
            User = new CommandUser("alice", "alice", null),
            Room = new CommandRoom("ops", IsDirect: false),
            Configuration = new Dictionary<string, string> { ["GREETING"] = "hi" },
            Store = store ?? new MemoryPipelineStore(),
            Log = log ?? new CollectingCommandLog(),
        };
        return new CommandInvocation(context, Command(command, type), folder);
    }

    public static CommandManifest Command(string name, string type) => new(
        name, CommandKind.Type, type, [], null, null, null, null, null, null,
        ImmutableDictionary<string, string>.Empty, [], ImmutableDictionary<string, string>.Empty, null,
        ImmutableDictionary<string, string>.Empty);
}
