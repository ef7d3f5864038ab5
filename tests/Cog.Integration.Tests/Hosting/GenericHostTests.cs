using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cog.Integration.Tests.Faults;
using Cog.Integration.Tests.Support;
using Cog.Relay.Hosting;
using Cog.Server.Configuration;

namespace Cog.Integration.Tests.Hosting;

/// <summary>
/// The two executables as an operator runs them, on the Generic Host: the console log (one line per entry with a UTC
/// timestamp by default, one JSON object per line with <c>Logging:Console:FormatterName=json</c>), invalid configuration
/// (every error on stderr, exit code 2), a clean stop on SIGTERM (exit code 0), and systemd's notifications.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class GenericHostTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("cog-host-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A server on free ports with its data in the test's folder.</summary>
    string[] ServerArguments(params string[] more) =>
    [
        $"--Cog:DataDirectory={Path.Combine(_folder, "data")}", "--Cog:Broker:Port=0", "--Cog:Api:Urls=http://127.0.0.1:0", .. more,
    ];

    /// <summary>A relay serving an empty dev folder, its broker a closed port (it keeps trying in the background).</summary>
    string[] RelayArguments(params string[] more) =>
    [
        "--id", "host-test", "--token", "t0ken", "--dev", Directory.CreateDirectory(Path.Combine(_folder, "dev")).FullName,
        "--cache", Path.Combine(_folder, "cache"), "--broker", "mqtt://127.0.0.1:9", .. more,
    ];

    [Fact]
    public async Task The_server_logs_one_line_per_entry_with_a_UTC_timestamp_and_stops_cleanly_on_SIGTERM()
    {
        await using var server = ExecutableRun.Dotnet(ServerProcess.ServerAssembly(), ServerArguments(), _folder);
        await server.WaitForLineAsync(line => line.Contains("is running: REST API", StringComparison.Ordinal), "the welcome text");

        server.Signal("TERM");

        Assert.True(await server.ExitCodeAsync() == 0, server.Transcript);
        Assert.Contains(server.Output, line => SimpleLine().IsMatch(line) && line.EndsWith(" info: Cog.Server[2] Stopping.", StringComparison.Ordinal));
        Assert.Contains(server.Output, line => SimpleLine().IsMatch(line) && line.Contains(" info: Cog.Server.Composition.CogServer[3] REST API listening on http://127.0.0.1:", StringComparison.Ordinal));
        Assert.Empty(server.Errors);
    }

    [Fact]
    public async Task The_server_logs_only_json_lines_when_configured()
    {
        await using var server = ExecutableRun.Dotnet(ServerProcess.ServerAssembly(), ServerArguments("--Logging:Console:FormatterName=json"), _folder);
        await server.WaitForLineAsync(line => line.Contains("is running: REST API", StringComparison.Ordinal), "the welcome text");

        server.Signal("TERM");

        Assert.True(await server.ExitCodeAsync() == 0, server.Transcript);
        var entries = JsonEntries(server);
        Assert.Contains(entries, entry => entry.Category == "Cog.Server" && entry.Message.Contains("is running: REST API http://127.0.0.1:", StringComparison.Ordinal)
            && entry.Message.Contains("password:", StringComparison.Ordinal));
        Assert.Contains(entries, entry => entry is { Category: "Cog.Server", Message: "Stopping." });
    }

    [Fact]
    public async Task Invalid_server_configuration_exits_with_code_2_listing_every_problem_on_stderr()
    {
        await using var server = ExecutableRun.Dotnet(ServerProcess.ServerAssembly(),
            ServerArguments("--Cog:Database:Provider=oracle", "--Cog:Pipeline:TimeoutSeconds=0", "--Cog:Chat:CommandPrefix= "), _folder);

        Assert.Equal(2, await server.ExitCodeAsync());
        var expected = ServerOptionsValidator.Validate(new ServerOptions
        {
            Database = new DatabaseOptions { Provider = "oracle" },
            Pipeline = new PipelineOptions { TimeoutSeconds = 0 },
            Chat = new ChatOptions { CommandPrefix = " " },
        });
        Assert.Equal(3, expected.Count);
        Assert.Equal(expected, server.Errors);
        Assert.Empty(server.Output);
    }

    [Fact]
    public async Task A_server_setting_of_the_wrong_type_is_a_configuration_error_naming_it()
    {
        await using var server = ExecutableRun.Dotnet(ServerProcess.ServerAssembly(), ServerArguments("--Cog:Broker:Port=many"), _folder);

        Assert.Equal(2, await server.ExitCodeAsync());
        Assert.Equal(["Failed to convert configuration value 'many' at 'Cog:Broker:Port' to type 'System.Int32'."], server.Errors);
    }

    [Fact]
    public async Task A_server_that_cannot_start_exits_with_code_1_and_logs_why()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        await using var server = ExecutableRun.Dotnet(ServerProcess.ServerAssembly(),
            ServerArguments($"--Cog:Api:Urls=http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"), _folder);

        Assert.True(await server.ExitCodeAsync() == 1, server.Transcript);
        Assert.Contains(server.Output, line => line.Contains(" fail: Microsoft.Extensions.Hosting.Internal.Host[11] Hosting failed to start", StringComparison.Ordinal)
            && line.Contains("address already in use", StringComparison.OrdinalIgnoreCase));
        // What had started (the store, the broker) was stopped.
        Assert.Contains(server.Output, line => line.Contains("The embedded MQTT broker stopped.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_relay_logs_only_json_lines_when_configured_and_stops_cleanly_on_SIGTERM()
    {
        await using var relay = ExecutableRun.Dotnet(RelayProcess.RelayAssembly(), RelayArguments("--Logging:Console:FormatterName=json"), _folder);
        await relay.WaitForLineAsync(line => line.Contains("\"Relay host-test ", StringComparison.Ordinal), "the relay's start");

        relay.Signal("TERM");

        Assert.True(await relay.ExitCodeAsync() == 0, relay.Transcript);
        var entries = JsonEntries(relay);
        Assert.Contains(entries, entry => entry.Category == "Cog.Relay.Hosting.RelayHost" && entry.Message.StartsWith("Stopping", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_relay_logs_in_json_by_its_environment_variable_too()
    {
        await using var relay = ExecutableRun.Dotnet(RelayProcess.RelayAssembly(), RelayArguments(), _folder,
            new Dictionary<string, string> { ["COG_RELAY_LOGGING__CONSOLE__FORMATTERNAME"] = "json" });
        await relay.WaitForLineAsync(line => line.Contains("\"Relay host-test ", StringComparison.Ordinal), "the relay's start");

        relay.Signal("INT");

        Assert.True(await relay.ExitCodeAsync() == 0, relay.Transcript);
        Assert.NotEmpty(JsonEntries(relay));
    }

    [Fact]
    public async Task Invalid_relay_configuration_exits_with_code_2_listing_every_problem_on_stderr()
    {
        string[] arguments = ["--id", "Not_Valid", "--concurrency", "many", "--broker", "http://nope"];
        await using var relay = ExecutableRun.Dotnet(RelayProcess.RelayAssembly(), arguments, _folder);

        Assert.Equal(2, await relay.ExitCodeAsync());
        var expected = RelayConfiguration.Load(arguments, new Dictionary<string, string>(), _folder).Errors;
        Assert.True(expected.Count >= 4, string.Join('\n', expected));
        Assert.Equal(expected, relay.Errors);
        Assert.Empty(relay.Output);
    }

    /// <summary>systemd starts a <c>Type=notify</c> service with <c>NOTIFY_SOCKET</c> naming a datagram socket and waits
    /// for <c>READY=1</c>. The host recognises systemd by its parent process's name, so the executable runs under a
    /// shell copied to a file named <c>systemd</c>, with the socket this test listens on. The log is in the journal's
    /// format unless JSON is configured.</summary>
    [Theory]
    [InlineData("relay", false)]
    [InlineData("server", false)]
    [InlineData("relay", true)]
    public async Task Under_systemd_the_executable_notifies_ready_and_stopping_and_logs_in_the_journal_format_or_as_configured(
        string executable, bool json)
    {
        var socketPath = Path.Combine(_folder, "notify");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));
        var systemd = Path.Combine(_folder, "systemd");
        File.Copy("/bin/sh", systemd);
        File.SetUnixFileMode(systemd, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        string[] command = executable == "relay"
            ? [RelayProcess.RelayAssembly(), .. RelayArguments()]
            : [ServerProcess.ServerAssembly(), .. ServerArguments()];
        if (json)
            command = [.. command, "--Logging:Console:FormatterName=json"];
        // "; exit $?" keeps the shell (the parent named systemd) running while the executable runs.
        await using var parent = ExecutableRun.Start(systemd, ["-c", "dotnet \"$@\"; exit $?", "systemd", .. command], _folder,
            new Dictionary<string, string> { ["NOTIFY_SOCKET"] = socketPath });

        Assert.Equal("READY=1", await ReceiveAsync(socket));
        var child = ChildOf(parent.ProcessId);
        parent.Signal("TERM", child);

        Assert.Equal("STOPPING=1", await ReceiveAsync(socket));
        Assert.True(await parent.ExitCodeAsync() == 0, parent.Transcript);
        if (json)
        {
            Assert.NotEmpty(JsonEntries(parent));
        }
        else
        {
            // The journal's format: a syslog priority ("<6>" information) and no timestamp (the journal adds its own).
            Assert.Contains(parent.Output, line => line.StartsWith("<6>", StringComparison.Ordinal));
            Assert.DoesNotContain(parent.Output, line => SimpleLine().IsMatch(line));
        }
    }

    static async Task<string> ReceiveAsync(Socket socket)
    {
        var buffer = new byte[4096];
        var length = await socket.ReceiveAsync(buffer, SocketFlags.None, TestContext.Current.CancellationToken).AsTask()
            .WaitAsync(TimeSpan.FromSeconds(90), TestContext.Current.CancellationToken);
        return Encoding.UTF8.GetString(buffer, 0, length).Trim();
    }

    /// <summary>The one child process of <paramref name="processId"/>.</summary>
    static int ChildOf(int processId)
    {
        var id = processId.ToString(CultureInfo.InvariantCulture);
        var children = File.ReadAllText($"/proc/{id}/task/{id}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return int.Parse(Assert.Single(children), CultureInfo.InvariantCulture);
    }

    /// <summary>Every line of standard output, each parsed as a JSON log entry (fails on any other line).</summary>
    static List<(string Category, string Message)> JsonEntries(ExecutableRun run)
    {
        Assert.NotEmpty(run.Output);
        var entries = new List<(string, string)>();
        foreach (var line in run.Output)
        {
            using var entry = JsonDocument.Parse(line);
            var root = entry.RootElement;
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", root.GetProperty("Timestamp").GetString());
            Assert.NotNull(root.GetProperty("LogLevel").GetString());
            entries.Add((root.GetProperty("Category").GetString()!, root.GetProperty("Message").GetString()!));
        }
        return entries;
    }

    /// <summary>A log line of the default format: <c>2026-01-31T12:00:00.000Z info: Category[id] message</c>.</summary>
    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (trce|dbug|info|warn|fail|crit): \S+\[\d+\] ")]
    private static partial Regex SimpleLine();
}
