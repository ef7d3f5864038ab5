using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.Json;
using Cog.Language.Options;
using Cog.Manifest;
using Cog.Relay.Execution;
using Cog.Sdk;

namespace Cog.Relay.Tests.Execution.Executables;

/// <summary>Builders for executable invocations, a recording log, and temporary bundle folders with real scripts.</summary>
static class ExecutableTestKit
{
    public static readonly IReadOnlyDictionary<string, string> RelayEnvironment = new Dictionary<string, string>
    {
        ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin",
        ["HOME"] = "/home/relay",
        ["LANG"] = "C.UTF-8",
        ["TZ"] = "UTC",
        ["TMPDIR"] = Path.GetTempPath(),
        // Must never reach a command.
        ["RELAY_COG_TOKEN"] = "relay-secret",
        ["AWS_SECRET_ACCESS_KEY"] = "aws-secret",
    };

    public static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public static CommandManifest Command(
        string target,
        string name = "cmd",
        IReadOnlyDictionary<string, string>? environment = null,
        ImmutableArray<OptionDefinition> options = default,
        TimeSpan? timeout = null) =>
        new(name, CommandKind.Executable, target, ["allow"], null, null, null, null, null, null,
            (environment ?? new Dictionary<string, string>()).ToImmutableDictionary(),
            options.IsDefault ? [] : options,
            ImmutableDictionary<string, string>.Empty, timeout, ImmutableDictionary<string, string>.Empty);

    public static CommandContext Context(
        RecordingLog? log = null,
        string bundle = "demo",
        string command = "cmd",
        string[]? arguments = null,
        IReadOnlyDictionary<string, string>? options = null,
        string input = "{}",
        InvocationStep step = InvocationStep.Last,
        CommandRoom? room = null,
        CommandUser? user = null,
        IReadOnlyDictionary<string, string>? configuration = null,
        string? traceParent = null,
        string? traceState = null) => new()
        {
            TraceParent = traceParent,
            TraceState = traceState,
            Bundle = bundle,
            Command = command,
            PipelineId = "6f1c2a9e-pipeline",
            InvocationId = "b7d4e0c3-invocation",
            Step = step,
            Arguments = new CommandArguments((arguments ?? []).Select(Json)),
            Options = new CommandOptions((options ?? new Dictionary<string, string>()).Select(o => KeyValuePair.Create(o.Key, Json(o.Value)))),
            Input = Json(input),
            User = user ?? new CommandUser("ada", "ada.l", "ada@example.com"),
            Room = room ?? new CommandRoom("ops", IsDirect: false),
            Configuration = configuration ?? new Dictionary<string, string>(),
            Store = new UnusedStore(),
            Log = log ?? new RecordingLog(),
        };

    public static CommandInvocation Invocation(CommandManifest command, string bundleDirectory, CommandContext? context = null, ServiceEndpoint? services = null) =>
        new(context ?? Context(), command, bundleDirectory, services);
}

/// <summary>Remembers what was logged, in order.</summary>
sealed class RecordingLog : ICommandLog
{
    readonly ConcurrentQueue<(string Level, string Message)> _entries = new();

    public IReadOnlyList<(string Level, string Message)> Entries => [.. _entries];

    public void Debug(string message) => _entries.Enqueue(("debug", message));

    public void Info(string message) => _entries.Enqueue(("info", message));

    public void Warn(string message) => _entries.Enqueue(("warn", message));

    public void Error(string message) => _entries.Enqueue(("error", message));
}

/// <summary>Executables reach the store through the services endpoint, never through the SDK.</summary>
sealed class UnusedStore : IPipelineStore
{
    public ValueTask<JsonElement?> GetAsync(string key, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public ValueTask SetAsync(string key, JsonElement value, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public ValueTask<JsonElement> AppendAsync(string key, JsonElement value, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public ValueTask<JsonElement?> RemoveAsync(string key, CancellationToken cancellationToken = default) => throw new NotSupportedException();
}

/// <summary>A temporary bundle folder holding scripts; deleted on dispose.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
sealed class TempBundle : IDisposable
{
    const UnixFileMode Everyone =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    public TempBundle()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("cog-exec-").FullName;
        // Readable by every user, as an unpacked bundle folder is: commands run under a user id of their own.
        File.SetUnixFileMode(Directory, Everyone);
    }

    public string Directory { get; }

    /// <summary>Writes a script (a shebang line is added unless <paramref name="body"/> starts with one) and returns its full path.</summary>
    public string Script(string relativePath, string body, bool executable = true)
    {
        var path = Path.Combine(Directory, relativePath);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, body.StartsWith("#!", StringComparison.Ordinal) ? body : "#!/bin/bash\n" + body);
        if (executable && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, Everyone);
        }
        return path;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A killed command's leftover may still hold a file; the OS cleans temp folders.
        }
    }
}
