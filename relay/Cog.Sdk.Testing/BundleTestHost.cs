using System.Collections.Immutable;
using System.Text.Json;
using Cog.Language.Values;
using Cog.Manifest;
using Cog.Relay.Execution.Scripts;
using Cog.Runtime.BuiltIns;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Rendering;
using Cog.Runtime.Slack.Rendering;
using Cog.Runtime.Templates;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cog.Sdk.Testing;

/// <summary>
/// Runs pipelines against one bundle, headless: no server, broker or database. A pipeline goes through Cog's real
/// command language (parsing, resolution, variable binding, option interpretation), the bundle's and the built-in
/// commands' access rules, the relay's engines (C# scripts, plug-in assemblies, executables) and the bundle's
/// templates, and the reply is rendered as cogctl, the web console and Slack show it.
/// </summary>
/// <remarks>
/// <para>The bundle is loaded as an installed version: a folder is packaged as <c>cogctl bundle package</c> does and
/// unpacked into a temporary folder (removed on disposal), so what the package would leave out is missing here too.
/// Build a plug-in assembly before loading; a host serves the files it loaded.</para>
/// <para>Beside the bundle, the built-in <c>operable</c> commands are installed with their rules (<c>echo</c>,
/// <c>seed</c>, <c>filter</c>, <c>sort</c>, <c>help</c>...); the administrative ones need a server and are not
/// available.</para>
/// <para>Bundle code runs in this process, on the relay's engines (a debugger stops in it). Thread-safe: runs may be
/// concurrent.</para>
/// </remarks>
public sealed class BundleTestHost : IAsyncDisposable
{
    static readonly SlackReplyRenderer Slack = new();

    readonly string _root;
    readonly LoadedBundle _bundle;
    readonly BundleManifest _operable;
    readonly TestCommandSpace _space;
    readonly InProcessRelay _relay;
    readonly StaticBundleDocumentation _documentation;
    readonly TemplateReplyComposer _composer;
    readonly BundleTestOptions _options;
    readonly TimeProvider _time = TimeProvider.System;

    BundleTestHost(string root, LoadedBundle bundle, BundleManifest operable, string operableJson, CompiledScripts scripts, BundleTestOptions options)
    {
        _root = root;
        _bundle = bundle;
        _operable = operable;
        _options = options;
        _space = new TestCommandSpace([operable, bundle.Manifest]);
        _relay = new InProcessRelay(bundle, scripts, options.Configuration, options.Loggers ?? NullLoggerFactory.Instance, _time);
        _documentation = new StaticBundleDocumentation([.. new[] { operableJson, bundle.ManifestJson }.Select(json => BundleDocs.FromManifestJson(json, isEnabled: true)!)]);
        var operableTemplates = new BundleTemplates(operable.Name, operable.Version, TemplateDialect.Liquid, operable.Templates);
        _composer = new TemplateReplyComposer(new Templates([operableTemplates, bundle.Templates]), new TemplateEngine(null, _time));
    }

    /// <summary>The bundle's manifest.</summary>
    public BundleManifest Manifest => _bundle.Manifest;

    /// <summary>The digest of the bundle's package (<c>sha256:...</c>), as <c>bundle install</c> records it.</summary>
    public string Digest => _bundle.Digest;

    /// <summary>Loads the bundle at <paramref name="path"/>: a bundle folder (or its <c>config.yaml</c>) or a package
    /// (<c>*.cogbundle</c>), and compiles its scripts.</summary>
    /// <exception cref="BundleLoadException">It is not a valid bundle (each manifest error with file, line and column),
    /// or it is a Docker bundle.</exception>
    public static async Task<BundleTestHost> LoadAsync(string path, BundleTestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= BundleTestOptions.Default;
        var root = Directory.CreateTempSubdirectory("cog-bundle-test-").FullName;
        try
        {
            var bundle = LoadedBundle.Load(path, Path.Combine(root, "bundle"));
            var (operable, operableJson) = OperableManifest.Load();
            var scripts = new CompiledScripts(options.ScriptCacheDirectory ?? Path.Combine(root, "scripts"));
            // Compiled now, as a relay compiles before the first invocation needs it: a first run is not charged the
            // compiler's start-up against its command's time limit. Errors are reported by the runs, as on a relay.
            foreach (var command in bundle.Manifest.Commands.Where(c => c.Kind == CommandKind.Script))
            {
                var file = Path.Combine(bundle.Directory, command.Target);
                if (File.Exists(file))
                    await scripts.PrepareAsync(command.Target, await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            }
            return new BundleTestHost(root, bundle, operable, operableJson, scripts, options);
        }
        catch
        {
            Directory.Delete(root, recursive: true);
            throw;
        }
    }

    /// <summary>Runs <paramref name="pipeline"/> (chat text without the <c>!</c>, e.g.
    /// <c>greeter:greet --shout world | echo $text</c>) as <paramref name="user"/> and renders its reply.</summary>
    /// <returns>How it ended. Refusals, command errors and template errors are outcomes, never exceptions.</returns>
    /// <exception cref="ArgumentException"><see cref="RunOptions.Input"/> is not a JSON object or array of objects.</exception>
    public async Task<PipelineRun> RunAsync(string pipeline, TestUser user, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(user);
        options ??= RunOptions.Default;
        var caller = new PipelineCaller(user.Username, user.Username, user.ChatHandle, user.Email, "test");
        var room = options.Room is null ? PipelineRoom.Direct : new PipelineRoom(options.Room, false);
        var request = new PipelineRequest(pipeline, caller, room)
        {
            InitialItems = InitialItems(options.Input),
            Deadline = _options.PipelineDeadline,
        };

        var directory = _space.ForUser(user);
        var builtIns = new BuiltInCommands(directory, _documentation, new InMemoryNamedDataStore(), _time, BuiltInOptions.Default);
        var audit = new RecordingAudit();
        var engine = new PipelineEngine(directory, new CommandRouter(builtIns, _relay), audit, _time, PipelineEngineOptions.Default);
        var started = _time.GetUtcNow();
        var outcome = await engine.RunAsync(request, cancellationToken).ConfigureAwait(false);
        var reply = await _composer.ComposeAsync(outcome, new ReplyContext(pipeline, user.Username, started), cancellationToken).ConfigureAwait(false);
        var rendered = new RenderedReply(PlainTextFormatter.Format(reply), HtmlFormatter.Format(reply),
            [.. Slack.Render(reply).Select(part => new SlackMessage(part.Text, part.Blocks))]);
        var decisions = audit.Events.OfType<InvocationDecided>().Select(PipelineRun.ToDecision).ToArray();
        return new PipelineRun(pipeline, user, outcome, [.. outcome.Items.Select(ToJson)], rendered, decisions);
    }

    /// <summary>Stops the bundle's commands and workers and removes the temporary folder.</summary>
    public async ValueTask DisposeAsync()
    {
        await _relay.DisposeAsync().ConfigureAwait(false);
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A file still open (a plug-in assembly of a worker that has not unloaded yet): the folder is temporary.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    static ImmutableArray<Value> InitialItems(string? input)
    {
        if (input is null)
            return [new ObjectValue([])];
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(input);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new ArgumentException(TestKitMessages.InputNotObjects(e.Message), nameof(input), e);
        }
        var elements = root.ValueKind == JsonValueKind.Array ? [.. root.EnumerateArray()] : new[] { root };
        if (elements.Length == 0 || elements.Any(e => e.ValueKind != JsonValueKind.Object))
            throw new ArgumentException(TestKitMessages.InputNotObjects(root.GetRawText()), nameof(input));
        return [.. elements.Select(Value.FromJson)];
    }

    static JsonElement ToJson(Value value)
    {
        using var document = JsonDocument.Parse(value.ToJson());
        return document.RootElement.Clone();
    }

    /// <summary>The templates of the installed versions: the bundle's and the built-in bundle's.</summary>
    sealed class Templates(IReadOnlyList<BundleTemplates> installed) : ITemplateSource
    {
        public ValueTask<BundleTemplates?> FindAsync(string bundle, string version, CancellationToken cancellationToken) =>
            ValueTask.FromResult(installed.FirstOrDefault(t => t.Bundle == bundle && t.Version == version));
    }
}
