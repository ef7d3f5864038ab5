using System.Diagnostics;
using System.Threading.Channels;
using Cog.Manifest;
using Cog.Manifest.Packages;
using Cog.Resilience;
using Cog.Runtime.Bundles;
using Cog.Runtime.Relays;
using Cog.Server.Composition;
using Microsoft.Extensions.Logging;
using Polly;

namespace Cog.Server.Startup;

/// <summary>
/// Dev mode: the bundles of a folder installed and enabled, assigned to the relay group
/// <c>local</c>, and a local relay process (relay/Cog.Relay with <c>--dev FOLDER</c>) serving them straight from the
/// folder, so an edited script, assembly, manifest or template runs on the next invocation without any step.
/// </summary>
/// <remarks>
/// <para>The folder is the truth. Each bundle's current content is installed under its dev version (the manifest's
/// version with the content's digest, <see cref="DevVersions"/>), which is also the version the relay announces for that
/// content: the server routes only to a relay holding exactly what it installed. The folder is installed at start, and
/// again whenever the dev relay announces (it does after every change it loaded); content already enabled is left as it
/// is, content seen before is enabled again, and superseded dev versions are deleted.</para>
/// <para>The relay gets a fresh token at every start (its hash replaces the stored one), passed in its environment,
/// never on its command line. Its output goes to the server's log. When it exits on its own it is restarted through the
/// <see cref="Backoff"/> pipeline <c>cog.server.dev-relay</c>: at once if it ran for <see cref="StableRun"/> or more,
/// otherwise after a back-off (1 s doubling to 30 s) that grows while it keeps exiting early; disposing stops it with
/// SIGTERM (a clean stop), then SIGKILL after 10 s.</para>
/// <para>A bundle folder that does not validate or package (e.g. an assembly bundle not built yet) is skipped with a
/// warning naming the reason; the server still starts.</para>
/// </remarks>
sealed class DevRelay : IAsyncDisposable
{
    const string GroupName = "local";

    /// <summary>How long a relay must have run for its exit to start a fresh back-off rather than count as one more
    /// failure to start.</summary>
    static readonly TimeSpan StableRun = TimeSpan.FromMinutes(1);

    /// <summary>Restarts of a relay that exited early: 1 s doubling to 30 s (one local process: no jitter).</summary>
    static readonly BackoffOptions RestartBackoff = new()
    {
        Delay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(30), UseJitter = false,
    };

    readonly ILogger _logger;
    readonly string _relayId;
    readonly ProcessStartInfo _start;
    readonly CancellationTokenSource _stopping = new();
    readonly CogServer _server;
    readonly string _folder;
    readonly Channel<bool> _announced = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    readonly ResiliencePipeline<RelayRun> _restart;
    readonly Task _supervisor;
    readonly Task _follower;
    Process? _process; // the supervisor's; read by DisposeAsync once the supervisor has stopped
    int _processId; // the running relay's process id, 0 between runs; read from any thread

    DevRelay(CogServer server, string folder, ILogger logger, string relayId, ProcessStartInfo start)
    {
        (_server, _folder, _logger, _relayId, _start) = (server, folder, logger, relayId, start);
        server.Dispatcher.Registry.Announced += OnAnnounced;
        _restart = Backoff.Pipeline<RelayRun>("cog.server.dev-relay", RestartBackoff, server.Time,
            static args => args.Outcome.Result.Ran < StableRun,
            args =>
            {
                ServerLog.DevRelayExited(logger, args.Outcome.Result.ExitCode, args.RetryDelay);
                return ValueTask.CompletedTask;
            });
        _follower = Task.Run(FollowAsync);
        _supervisor = Task.Run(SuperviseAsync);
    }

    /// <summary>The process id of the running relay, if one runs.</summary>
    public int? ProcessId => Volatile.Read(ref _processId) is var id and not 0 ? id : null;

    public static async Task<DevRelay> StartAsync(CogServer server, string folder, string dataDirectory, CancellationToken cancellationToken)
    {
        var logger = server.Loggers.CreateLogger<DevRelay>();
        var options = server.Options.Dev;
        var executable = options.RelayExecutable ?? BuildOutput.Find(Path.Combine("relay", "Cog.Relay"), "Cog.Relay.dll")
            ?? throw new InvalidOperationException(
                "Dev mode needs the relay executable: build it (dotnet build relay/Cog.Relay) or set Cog:Dev:RelayExecutable.");

        var token = RelayToken.Generate();
        await RegisterRelayAsync(server, options.RelayId, token, folder, cancellationToken).ConfigureAwait(false);
        await InstallBundlesAsync(server, folder, logger, assign: true, cancellationToken).ConfigureAwait(false);

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(executable);
        foreach (var argument in (string[])["--id", options.RelayId, "--broker", server.TransportOptions.BrokerUri.ToString(),
                     "--server", server.ApiUrl.ToString(), "--dev", folder,
                     "--cache", Directory.CreateDirectory(Path.Combine(dataDirectory, "relay-cache")).FullName])
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["COG_RELAY_TOKEN"] = token;
        Telemetry.PassTo(server.Options.Telemetry, start.Environment);
        return new DevRelay(server, folder, logger, options.RelayId, start);
    }

    static async Task RegisterRelayAsync(CogServer server, string relayId, string token, string folder, CancellationToken cancellationToken)
    {
        var relays = server.Store.Relays;
        var description = $"Dev mode: serves {folder}";
        var existing = await relays.GetAsync(relayId, cancellationToken).ConfigureAwait(false);
        if (existing is null)
            (await relays.CreateAsync(new RelayRecord(relayId, relayId, RelayToken.Hash(token), description, true, server.Time.GetUtcNow()), cancellationToken)
                .ConfigureAwait(false)).GetValueOrThrow();
        else
            (await relays.UpdateAsync(existing with { TokenHash = RelayToken.Hash(token), Description = description, Enabled = true }, cancellationToken)
                .ConfigureAwait(false)).GetValueOrThrow();
        if (await relays.FindGroupByNameAsync(GroupName, cancellationToken).ConfigureAwait(false) is null)
            (await relays.CreateGroupAsync(new RelayGroup(Guid.NewGuid().ToString("D"), GroupName, "Dev mode bundles", server.Time.GetUtcNow()), cancellationToken)
                .ConfigureAwait(false)).GetValueOrThrow();
        server.DirectoryChanges.RelaysChanged();
        (await server.Registry.AddRelayAsync(GroupName, relayId, cancellationToken).ConfigureAwait(false)).GetValueOrThrow();
    }

    /// <summary>Installs the current content of every bundle folder (<see cref="BundleRegistry.InstallDevAsync"/>) and
    /// assigns the bundle to the relay group when <paramref name="assign"/> is set or the enabled version changed.</summary>
    static async Task InstallBundlesAsync(CogServer server, string folder, ILogger logger, bool assign, CancellationToken cancellationToken)
    {
        foreach (var bundleFolder in Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal))
        {
            if (!ManifestLoader.FileNames.Any(name => File.Exists(Path.Combine(bundleFolder, name))))
                continue;
            using var package = new MemoryStream();
            var packaged = BundlePackage.Create(bundleFolder, package);
            if (!packaged.Succeeded)
            {
                ServerLog.DevBundleSkipped(logger, bundleFolder, string.Join("; ", [packaged.Error, .. packaged.ManifestErrors.Select(static e => e.ToString())]));
                continue;
            }
            var manifest = packaged.Contents.Manifest;
            if (manifest.Name == Bundle.BuiltInName)
                continue;
            var installed = await server.Registry.InstallDevAsync(package.ToArray(), cancellationToken).ConfigureAwait(false);
            if (!installed.IsSuccess)
            {
                ServerLog.DevBundleSkipped(logger, bundleFolder, installed.Error.Message);
                continue;
            }
            if (!assign && !installed.Value!.Changed)
                continue;
            (await server.Registry.AssignAsync(GroupName, manifest.Name, cancellationToken).ConfigureAwait(false)).GetValueOrThrow();
            ServerLog.DevBundle(logger, manifest.Name, installed.Value!.Version.Version, bundleFolder);
        }
    }

    /// <summary>Called on the transport's thread: only wakes <see cref="FollowAsync"/> (announcements that arrive while
    /// it works collapse into one more pass).</summary>
    void OnAnnounced(string relayId)
    {
        if (string.Equals(relayId, _relayId, StringComparison.Ordinal))
            _announced.Writer.TryWrite(true);
    }

    /// <summary>After each announcement of the dev relay, installs what the folder holds now.</summary>
    async Task FollowAsync()
    {
        try
        {
            while (await _announced.Reader.WaitToReadAsync(_stopping.Token).ConfigureAwait(false))
            {
                _announced.Reader.TryRead(out _);
                try
                {
                    await InstallBundlesAsync(_server, _folder, _logger, assign: false, _stopping.Token).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // A failed pass (a store error, a folder being deleted) is logged; the next announcement tries again.
                catch (Exception e) when (e is not OperationCanceledException || !_stopping.IsCancellationRequested)
#pragma warning restore CA1031
                {
                    ServerLog.DevBundleSkipped(_logger, _folder, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    async Task SuperviseAsync()
    {
        try
        {
            while (true)
            {
                // Returns when a relay that had run long enough exited: it starts again at once, with a fresh back-off.
                var run = await _restart.ExecuteAsync(static (relay, stop) => relay.RunRelayAsync(stop), this, _stopping.Token).ConfigureAwait(false);
                ServerLog.DevRelayExited(_logger, run.ExitCode, TimeSpan.Zero);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>Starts the relay process and waits for it to exit. When <paramref name="stop"/> is cancelled the process
    /// is left running for <see cref="DisposeAsync"/> to stop.</summary>
    async ValueTask<RelayRun> RunRelayAsync(CancellationToken stop)
    {
        var process = new Process { StartInfo = _start };
        process.OutputDataReceived += (_, e) => Forward(e.Data);
        process.ErrorDataReceived += (_, e) => Forward(e.Data);
        var started = _server.Time.GetTimestamp();
        process.Start();
        _process = process;
        Volatile.Write(ref _processId, process.Id);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        ServerLog.DevRelayStarted(_logger, _relayId, process.Id);
        await process.WaitForExitAsync(stop).ConfigureAwait(false);
        var run = new RelayRun(process.ExitCode, _server.Time.GetElapsedTime(started));
        // Forgotten before it is disposed: a disposed Process throws on HasExited (DisposeAsync asks it).
        Volatile.Write(ref _processId, 0);
        _process = null;
        process.Dispose();
        return run;
    }

    /// <summary>How one run of the relay process ended.</summary>
    readonly record struct RelayRun(int ExitCode, TimeSpan Ran);

    void Forward(string? line)
    {
        if (!string.IsNullOrEmpty(line))
            ServerLog.DevRelayOutput(_logger, _relayId, line);
    }

    public async ValueTask DisposeAsync()
    {
        _server.Dispatcher.Registry.Announced -= OnAnnounced;
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _supervisor.ConfigureAwait(false);
        await _follower.ConfigureAwait(false);
        if (_process is { HasExited: false } process)
        {
            // SIGTERM: the relay finishes running commands and says it goes offline.
            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                await term.WaitForExitAsync().ConfigureAwait(false);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().ConfigureAwait(false);
            }
        }
        _process?.Dispose();
        _stopping.Dispose();
    }
}
