using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace Cog.Relay.Tests.Execution.Containers;

/// <summary>A real container engine for the tests: Debian's Podman serving the Docker Engine API on a socket of its own
/// (<c>podman system service</c>), and a tiny image built locally from Debian's <c>busybox-static</c> (no registry)
/// holding Cog 1.0-style commands under <c>/bundle</c>. <c>build.sh</c> installs <c>podman</c>, <c>runc</c> and
/// <c>busybox-static</c>; without them the tests that use this fail with the reason, they never pass silently.</summary>
/// <remarks>The service runs with <c>--runtime runc</c>: Debian's default runtime, crun, refuses hosts whose cgroups are
/// mounted in hybrid mode (v1 controllers beside an empty v2 tree), as CI's are; runc runs there (docs/relays.md).</remarks>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PodmanEngine : IAsyncLifetime
{
    /// <summary>The image every test runs.</summary>
    public const string Image = "localhost/cog-test-bundle";

    /// <summary>Its tag.</summary>
    public const string Tag = "1";

    readonly string _directory = Directory.CreateTempSubdirectory("cog-podman-").FullName;
    Process? _service;

    /// <summary>The Engine API socket.</summary>
    public string Socket => Path.Combine(_directory, "podman.sock");

    public async ValueTask InitializeAsync()
    {
        var podman = Which("podman") ?? throw new InvalidOperationException("podman is not installed (build.sh installs Debian's podman, runc and busybox-static).");
        const string busybox = "/bin/busybox";
        if (!File.Exists(busybox))
        {
            throw new InvalidOperationException("busybox is not installed (build.sh installs Debian's busybox-static).");
        }
        await BuildImageAsync(podman, busybox);
        _service = Process.Start(new ProcessStartInfo(podman, ["--runtime", "runc", "system", "service", "--time", "0", "unix://" + Socket])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        _ = _service.StandardOutput.ReadToEndAsync();
        var errors = _service.StandardError.ReadToEndAsync();
        // The service takes a moment to listen: ask until it answers, or say why it never did.
        for (var attempt = 0; !await AnswersAsync(); attempt++)
        {
            if (_service.HasExited || attempt == 300)
            {
                throw new InvalidOperationException("podman system service did not answer on " + Socket + ": " + (_service.HasExited ? await errors : "no answer"));
            }
            await Task.Delay(100);
        }
    }

    /// <summary>The ids of the containers the relay created for <paramref name="bundle"/> that still exist (test classes
    /// run in parallel on one engine: each uses bundles of its own).</summary>
    public async Task<IReadOnlyList<string>> RelayContainersAsync(string bundle)
    {
        using var http = Http();
        var filter = Uri.EscapeDataString($$"""{"label":["io.operable.cog.relay.created=yes","io.cog.bundle={{bundle}}"]}""");
        var containers = await http.GetFromJsonAsync<JsonElement>("http://engine/v1.41/containers/json?all=true&filters=" + filter);
        return [.. containers.EnumerateArray().Select(static c => c.GetProperty("Id").GetString()!)];
    }

    async Task<bool> AnswersAsync()
    {
        if (!File.Exists(Socket))
        {
            return false;
        }
        try
        {
            using var http = Http();
            return (await http.GetAsync("http://engine/_ping")).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    HttpClient Http() => new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, token) =>
        {
            var socket = new System.Net.Sockets.Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(Socket), token);
            return new NetworkStream(socket, ownsSocket: true);
        },
    });

    async Task BuildImageAsync(string podman, string busybox)
    {
        var context = Directory.CreateDirectory(Path.Combine(_directory, "image")).FullName;
        var bin = Directory.CreateDirectory(Path.Combine(context, "bin")).FullName;
        File.Copy(busybox, Path.Combine(bin, "busybox"));
        foreach (var applet in new[] { "sh", "cat", "echo", "ls", "sleep", "printf", "env", "sort", "tr" })
        {
            File.CreateSymbolicLink(Path.Combine(bin, applet), "busybox");
        }
        var bundle = Directory.CreateDirectory(Path.Combine(context, "bundle")).FullName;
        foreach (var (name, body) in Commands)
        {
            var path = Path.Combine(bundle, name);
            await File.WriteAllTextAsync(path, "#!/bin/sh\n" + body);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead
                | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
        // COPY only: a RUN step runs a container at build time, with podman's default runtime (crun), which refuses this kind of host.
        await File.WriteAllTextAsync(Path.Combine(context, "Containerfile"), "FROM scratch\nCOPY bin /bin\nCOPY bundle /bundle\nENV PATH=/bin\n");
        using var build = Process.Start(new ProcessStartInfo(podman, ["build", "--quiet", "-t", Image + ":" + Tag, context])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        var output = build.StandardOutput.ReadToEndAsync();
        var errors = await build.StandardError.ReadToEndAsync();
        await build.WaitForExitAsync();
        _ = await output;
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException("podman build failed: " + errors);
        }
    }

    /// <summary>The image's commands, Cog 1.0 style: environment in, protocol lines and JSON out.</summary>
    static readonly (string Name, string Body)[] Commands =
    [
        ("greet", """
            read input
            echo "COG_TEMPLATE: greeting"
            echo "COGCMD_INFO: greeting $COG_ARGV_0"
            echo "JSON"
            printf '{"greeting":"hello %s","bundle":"%s","command":"%s","room":"%s","argc":"%s","input":%s}\n' \
              "$COG_ARGV_0" "$COG_BUNDLE" "$COG_COMMAND" "$COG_ROOM" "$COG_ARGC" "$input"
            """),
        ("fail", """
            echo "the disk is full" >&2
            exit 3
            """),
        ("confinement", """
            echo "net: $(ls /sys/class/net | tr '\n' ' ')"
            echo "nofile: $(ulimit -n)"
            echo "nproc: $(ulimit -u)"
            echo "user: $(env | sort | tr '\n' ' ')"
            """),
        ("hang", """
            echo started
            sleep 600
            """),
    ];

    public async ValueTask DisposeAsync()
    {
        if (_service is { } service)
        {
            service.Kill(entireProcessTree: true);
            await service.WaitForExitAsync();
            service.Dispose();
        }
        Directory.Delete(_directory, recursive: true);
    }

    static string? Which(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);
}
