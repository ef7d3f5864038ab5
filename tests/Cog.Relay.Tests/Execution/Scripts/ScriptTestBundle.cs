using System.Collections.Immutable;
using System.Text.Json;
using Cog.Language.Options;
using Cog.Manifest;
using Cog.Relay.Execution;
using Cog.Relay.Tests.Support;
using Cog.Sdk;

namespace Cog.Relay.Tests.Execution.Scripts;

/// <summary>A bundle folder with scripts and a cache folder, both temporary; builds invocations of its scripts.</summary>
sealed class ScriptTestBundle : IDisposable
{
    readonly string _root = Path.Combine(Path.GetTempPath(), "cog-script-tests-" + Guid.NewGuid().ToString("N"));

    public ScriptTestBundle()
    {
        Directory.CreateDirectory(BundleDirectory);
        Directory.CreateDirectory(CacheDirectory);
    }

    public string BundleDirectory => Path.Combine(_root, "bundle");

    public string CacheDirectory => Path.Combine(_root, "cache");

    public MemoryPipelineStore Store { get; } = new();

    public CollectingCommandLog Log { get; } = new();

    public string Write(string file, string code)
    {
        var path = Path.Combine(BundleDirectory, file);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, code);
        return file;
    }

    public CommandInvocation Invocation(
        string file,
        IEnumerable<object>? args = null,
        IEnumerable<KeyValuePair<string, object>>? options = null,
        string input = "{}",
        InvocationStep step = InvocationStep.Last,
        string invocationId = "inv-1",
        string? traceParent = null)
    {
        var command = new CommandManifest("cmd", CommandKind.Script, file, [], null, null, null, null, null, null,
            ImmutableDictionary<string, string>.Empty, ImmutableArray<OptionDefinition>.Empty, ImmutableDictionary<string, string>.Empty, null,
            ImmutableDictionary<string, string>.Empty);
        return Invocation(command, BundleDirectory, args, options, input, step, invocationId, traceParent);
    }

    public CommandInvocation Invocation(
        CommandManifest command,
        string bundleDirectory,
        IEnumerable<object>? args = null,
        IEnumerable<KeyValuePair<string, object>>? options = null,
        string input = "{}",
        InvocationStep step = InvocationStep.Last,
        string invocationId = "inv-1",
        string? traceParent = null)
    {
        var context = new CommandContext
        {
            Bundle = "tests",
            Command = "cmd",
            PipelineId = "pipe-1",
            InvocationId = invocationId,
            Step = step,
            Arguments = new CommandArguments((args ?? []).Select(a => JsonSerializer.SerializeToElement(a))),
            Options = new CommandOptions((options ?? []).Select(o => KeyValuePair.Create(o.Key, JsonSerializer.SerializeToElement(o.Value)))),
            Input = JsonDocument.Parse(input).RootElement.Clone(),
            User = new CommandUser("alice", "alice", null),
            Room = new CommandRoom("ops", IsDirect: false),
            Store = Store,
            Log = Log,
            TraceParent = traceParent,
        };
        return new CommandInvocation(context, command, bundleDirectory);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A loaded assembly may still be mapped on some platforms; the temp folder is cleaned later.
        }
    }
}
