using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Cog.Testing;

/// <summary>
/// A real Mosquitto (Debian's package; `./build.sh test` installs it) on a free loopback port, in its own temporary
/// folder, with a password file and the ACL shipped in docs/mosquitto/cog.acl. Stopped and removed on dispose.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // Debian's Mosquitto; the relay tests run on Linux
public sealed class MosquittoProcess : IAsyncDisposable
{
    const string Broker = "/usr/sbin/mosquitto";
    const string Passwd = "/usr/bin/mosquitto_passwd";
    const string Ctrl = "/usr/bin/mosquitto_ctrl";
    const string DynamicSecurityPlugin = "/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so";

    readonly string _folder;
    readonly string _config;
    Process _process;

    MosquittoProcess(Process process, string folder, string config, int port)
    {
        _process = process;
        _folder = folder;
        _config = config;
        Port = port;
    }

    public int Port { get; }

    public static async Task<MosquittoProcess> StartAsync(IReadOnlyDictionary<string, string> users, CancellationToken cancellationToken)
    {
        Assert.True(File.Exists(Broker) && File.Exists(Passwd),
            "Mosquitto is not installed: run the tests with ./build.sh test, which installs Debian's mosquitto package.");
        var folder = Directory.CreateTempSubdirectory("cog-mosquitto").FullName;
        // Started as root, Mosquitto drops to the `mosquitto` user before it reads the password file.
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var passwords = Path.Combine(folder, "passwords");
        foreach (var (user, password) in users)
        {
            // -c creates the file on the first call; -b takes the password from the command line.
            await RunAsync(Passwd, [.. File.Exists(passwords) ? Array.Empty<string>() : ["-c"], "-b", passwords, user, password], cancellationToken);
        }
        File.SetUnixFileMode(passwords, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var acl = Path.Combine(RepositoryPaths.Root, "docs", "mosquitto", "cog.acl");
        return await LaunchAsync(folder, $"""
            password_file {passwords}
            acl_file {acl}
            """, cancellationToken);
    }

    /// <summary>A Mosquitto whose logins and ACLs are kept by its dynamic-security plugin (Debian's package ships it),
    /// initialised with <c>mosquitto_ctrl dynsec init</c> so that <paramref name="admin"/> administers the plugin and
    /// nothing else exists.</summary>
    public static async Task<MosquittoProcess> StartWithDynamicSecurityAsync(string admin, string password, CancellationToken cancellationToken)
    {
        Assert.True(File.Exists(Broker) && File.Exists(Ctrl) && File.Exists(DynamicSecurityPlugin),
            "Mosquitto with its dynamic-security plugin is not installed: run the tests with ./build.sh test, which installs Debian's mosquitto package.");
        var folder = Directory.CreateTempSubdirectory("cog-mosquitto-dynsec").FullName;
        // Started as root, Mosquitto drops to the `mosquitto` user, which saves the plugin's file after every change.
        File.SetUnixFileMode(folder, (UnixFileMode)0b111_111_111);
        var state = Path.Combine(folder, "dynamic-security.json");
        await RunAsync(Ctrl, ["dynsec", "init", state, admin, password], cancellationToken);
        File.SetUnixFileMode(state, (UnixFileMode)0b110_110_110);
        return await LaunchAsync(folder, $"""
            plugin {DynamicSecurityPlugin}
            plugin_opt_config_file {state}
            """, cancellationToken);
    }

    /// <summary>Starts a broker from <paramref name="folder"/> on a free loopback port, logins and ACLs as
    /// <paramref name="access"/> (configuration lines) says, no anonymous client, no persistence, and waits until it
    /// listens.</summary>
    static async Task<MosquittoProcess> LaunchAsync(string folder, string access, CancellationToken cancellationToken)
    {
        var port = LoopbackPorts.Free();
        var config = Path.Combine(folder, "mosquitto.conf");
        await File.WriteAllTextAsync(config, $"""
            listener {port} 127.0.0.1
            allow_anonymous false
            {access}
            persistence false
            log_dest stderr
            log_type error
            log_type warning
            """, cancellationToken);
        var broker = new MosquittoProcess(Launch(config), folder, config, port);
        await broker.WaitUntilListeningAsync(cancellationToken);
        return broker;
    }

    /// <summary>Runs <c>mosquitto_ctrl dynsec COMMAND...</c> against this broker as <paramref name="admin"/>.</summary>
    public Task DynamicSecurityAsync(string admin, string password, params string[] command) =>
        RunAsync(Ctrl, ["-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-u", admin, "-P", password, "dynsec", .. command],
            TestContext.Current.CancellationToken);

    /// <summary>Starts the broker again after <see cref="StopAsync"/>, on the same port with the same configuration. With
    /// <c>persistence false</c> (as configured), the new broker knows no session, subscription or retained message.</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken)
    {
        Assert.True(_process.HasExited, "Mosquitto is still running.");
        _process.Dispose();
        _process = Launch(_config);
        await WaitUntilListeningAsync(cancellationToken);
    }

    static Process Launch(string config) =>
        Process.Start(new ProcessStartInfo(Broker, ["-c", config])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;

    /// <summary>Kills the broker (SIGKILL): every client loses its connection at once.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
    }

    async Task WaitUntilListeningAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (_process.HasExited)
            {
                var output = await _process.StandardOutput.ReadToEndAsync(cancellationToken) + await _process.StandardError.ReadToEndAsync(cancellationToken);
                Assert.Fail($"Mosquitto exited with code {_process.ExitCode}: {output}");
            }
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port, cancellationToken);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50, cancellationToken);
            }
        }
        Assert.Fail("Mosquitto did not start listening within 5 seconds.");
    }

    static async Task RunAsync(string file, string[] arguments, CancellationToken cancellationToken)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardError = true, UseShellExecute = false })!;
        var error = await process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        Assert.True(process.ExitCode == 0, $"{file} failed: {error}");
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
