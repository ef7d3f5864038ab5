using System.Diagnostics;
using Cog.Manifest;
using Cog.Manifest.Packages;
using Cog.Runtime.Bundles;
using Cog.Runtime.Relays;
using Cog.Server.Composition;
using Microsoft.Extensions.Logging;

namespace Cog.Server.Startup;

/// <summary>
/// Dev mode: the bundles of a folder installed and enabled, assigned to the relay group
/// <c>local</c>, and a local relay process (relay/Cog.Relay with <c>--dev FOLDER</c>) serving them straight from the
/// folder, so an edited script or assembly runs on the next invocation without any step.
/// </summary>
/// <remarks>
/// <para>The relay gets a fresh token at every start (its hash replaces the stored one), passed in its environment,
/// never on its command line. Its output goes to the server's log. When it exits on its own it is restarted after a
/// back-off (1 s doubling to 30 s); disposing stops it with SIGTERM (a clean stop), then SIGKILL after 10 s.</para>
/// <para>A bundle folder that does not validate or package (e.g. an assembly bundle not built yet) is skipped with a
/// warning naming the reason; the server still starts.</para>
/// </remarks>
sealed class DevRelay : IAsyncDisposable
{
    const string GroupName = "local";

    readonly ILogger _logger;
    readonly string _relayId;
    readonly ProcessStartInfo _start;
    readonly CancellationTokenSource _stopping = new();
    readonly Task _supervisor;
    Process? _process;

    DevRelay(ILogger logger, string relayId, ProcessStartInfo start)
    {
        (_logger, _relayId, _start) = (logger, relayId, start);
        _supervisor = Task.Run(SuperviseAsync);
    }

    /// <summary>The process id of the running relay, if one runs.</summary>
    public int? ProcessId => _process is { HasExited: false } p ? p.Id : null;

    public static async Task<DevRelay> StartAsync(CogServer server, string folder, string dataDirectory, CancellationToken cancellationToken)
    {
        var logger = server.Loggers.CreateLogger<DevRelay>();
        var options = server.Options.Dev;
        var executable = options.RelayExecutable ?? FindRelayExecutable()
            ?? throw new InvalidOperationException(
                "Dev mode needs the relay executable: build it (dotnet build relay/Cog.Relay) or set Cog:Dev:RelayExecutable.");

        var token = RelayToken.Generate();
        await RegisterRelayAsync(server, options.RelayId, token, folder, cancellationToken).ConfigureAwait(false);
        await InstallBundlesAsync(server, folder, logger, cancellationToken).ConfigureAwait(false);

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
        return new DevRelay(logger, options.RelayId, start);
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
        server.Directory.RelaysChanged();
        (await server.Registry.AddRelayAsync(GroupName, relayId, cancellationToken).ConfigureAwait(false)).GetValueOrThrow();
    }

    static async Task InstallBundlesAsync(CogServer server, string folder, ILogger logger, CancellationToken cancellationToken)
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
            var installed = await server.Registry.InstallAsync(package.ToArray(), enable: true, cancellationToken).ConfigureAwait(false);
            if (!installed.IsSuccess)
            {
                if (installed.Error.Kind != RegistryErrorKind.Duplicate)
                {
                    ServerLog.DevBundleSkipped(logger, bundleFolder, installed.Error.Message);
                    continue;
                }
                // Installed by an earlier start: make sure that version is the enabled one.
                (await server.Registry.EnableAsync(manifest.Name, manifest.Version, cancellationToken).ConfigureAwait(false)).GetValueOrThrow();
            }
            (await server.Registry.AssignAsync(GroupName, manifest.Name, cancellationToken).ConfigureAwait(false)).GetValueOrThrow();
            ServerLog.DevBundle(logger, manifest.Name, manifest.Version, bundleFolder);
        }
    }

    /// <summary>The relay's build output beside this server's in the repository:
    /// <c>runtime/Cog.Server/bin/&lt;configuration&gt;/&lt;framework&gt;/</c> → <c>relay/Cog.Relay/bin/…/Cog.Relay.dll</c>.</summary>
    static string? FindRelayExecutable()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = output.Name;
        var configuration = output.Parent?.Name;
        var repository = output.Parent?.Parent?.Parent?.Parent?.Parent;
        if (configuration is null || repository is null)
            return null;
        var path = Path.Combine(repository.FullName, "relay", "Cog.Relay", "bin", configuration, framework, "Cog.Relay.dll");
        return File.Exists(path) ? path : null;
    }

    async Task SuperviseAsync()
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!_stopping.IsCancellationRequested)
        {
            var process = new Process { StartInfo = _start };
            process.OutputDataReceived += (_, e) => Forward(e.Data);
            process.ErrorDataReceived += (_, e) => Forward(e.Data);
            var started = Stopwatch.StartNew();
            process.Start();
            _process = process;
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            ServerLog.DevRelayStarted(_logger, _relayId, process.Id);
            try
            {
                await process.WaitForExitAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            // A relay that ran a while before exiting starts again quickly; one that keeps failing backs off.
            delay = started.Elapsed > TimeSpan.FromMinutes(1) ? TimeSpan.FromSeconds(1) : delay;
            ServerLog.DevRelayExited(_logger, process.ExitCode, delay);
            process.Dispose();
            try
            {
                await Task.Delay(delay, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
        }
    }

    void Forward(string? line)
    {
        if (!string.IsNullOrEmpty(line))
            ServerLog.DevRelayOutput(_logger, _relayId, line);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _supervisor.ConfigureAwait(false);
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
