using Cog.Worker;
using System.Diagnostics;
using Cog.Relay.Execution;
using Cog.Relay.Execution.Executables;
using Cog.Relay.Isolation;
using Cog.Relay.Tests.Support;
using Cog.Sdk;
using static Cog.Relay.Tests.Execution.Executables.ExecutableTestKit;

namespace Cog.Relay.Tests.Execution.Executables;

/// <summary>The engine against real bash and sh scripts written to a temporary bundle folder.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ExecutableEngineTests : IDisposable
{
    readonly TempBundle _bundle = new();
    readonly ExecutableEngine _engine = new(TestSandbox.Instance, RelayEnvironment);

    public void Dispose() => _bundle.Dispose();

    Task<ExecutionOutcome> RunScriptAsync(string body, CommandContext? context = null, ExecutionLimits? limits = null) =>
        RunAsync(_bundle.Script("command.sh", body), context, limits);

    Task<ExecutionOutcome> RunScriptUntilAsync(string body, CancellationToken cancellationToken) =>
        _engine.RunAsync(Invocation(Command(_bundle.Script("command.sh", body)), _bundle.Directory), ExecutionLimits.Default, cancellationToken);

    Task<ExecutionOutcome> RunAsync(string target, CommandContext? context = null, ExecutionLimits? limits = null) =>
        _engine.RunAsync(Invocation(Command(target), _bundle.Directory, context), limits ?? ExecutionLimits.Default, TestContext.Current.CancellationToken);

    static string[] Items(ExecutionOutcome outcome) => [.. outcome.Items.Select(i => i.GetRawText())];

    [Fact]
    public async Task Plain_output_becomes_a_body_item()
    {
        var outcome = await RunScriptAsync("echo hello\necho world\n");

        Assert.Equal(CommandStatus.Ok, outcome.Status);
        Assert.Equal(["""{"body":["hello","world"]}"""], Items(outcome));
    }

    [Fact]
    public async Task Every_stdout_tag_works_through_a_real_process()
    {
        var log = new RecordingLog();
        var outcome = await RunScriptAsync("""
            echo "COGCMD_DEBUG: d"
            echo "COGCMD_INFO: i"
            echo "COGCMD_WARN: w"
            echo "COGCMD_ERR: e1"
            echo "COGCMD_ERROR: e2"
            echo "COG_TEMPLATE: report"
            echo "JSON"
            echo '[{"n": 1}, {"n": 2}]'
            """, Context(log));

        Assert.Equal([("debug", "d"), ("info", "i"), ("warn", "w"), ("error", "e1"), ("error", "e2")], log.Entries);
        Assert.Equal(CommandStatus.Ok, outcome.Status);
        Assert.Equal("report", outcome.Template);
        Assert.Equal(["""{"n": 1}""", """{"n": 2}"""], Items(outcome));
    }

    [Fact]
    public async Task Invalid_json_is_an_error()
    {
        var outcome = await RunScriptAsync("echo JSON\necho '{\"a\": '\n");

        Assert.Equal(ExecutionOutcome.Error("Command returned invalid JSON."), outcome with { Items = [] });
    }

    [Fact]
    public async Task A_non_object_body_is_an_error()
    {
        var outcome = await RunScriptAsync("echo JSON\necho '[1, 2]'\n");

        Assert.Equal("Output item 0 is a number, but every output item must be a JSON object.", outcome.Message);
    }

    [Fact]
    public async Task Abort_stops_the_pipeline_with_the_text()
    {
        var outcome = await RunScriptAsync("echo 'COGCMD_ACTION: abort'\necho 'Nothing to do.'\n");

        Assert.Equal((CommandStatus.Abort, "Nothing to do."), (outcome.Status, outcome.Message));
    }

    [Fact]
    public async Task A_failing_exit_code_reports_stderr_trimmed_and_drops_stdout()
    {
        var log = new RecordingLog();
        var outcome = await RunScriptAsync("echo 'COGCMD_WARN: about to fail'\necho 'partial output'\necho '  Disk full: /var  ' >&2\necho 'line 2' >&2\nexit 3\n", Context(log));

        Assert.Equal(ExecutionOutcome.Error("Disk full: /var  \nline 2"), outcome);
        Assert.Equal([("warn", "about to fail")], log.Entries);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(127)]
    public async Task A_failing_exit_code_without_stderr_names_the_code(int code)
    {
        var outcome = await RunScriptAsync($"echo output\nexit {code}\n");

        Assert.Equal(ExecutionOutcome.Error($"The command failed with exit code {code} and wrote nothing to stderr."), outcome);
    }

    [Fact]
    public async Task Stderr_is_kept_up_to_the_limit_for_the_log()
    {
        var log = new RecordingLog();
        var outcome = await RunScriptAsync("head -c 100000 /dev/zero | tr '\\0' 'e' >&2\nexit 1\n", Context(log), new ExecutionLimits(MaxErrorBytes: 1000));

        Assert.Equal(new string('e', 1000) + "\n… (99000 more bytes of stderr; see the relay's log)", outcome.Message);
        Assert.Equal([("warn", "The command failed with exit code 1; its stderr (100000 bytes, the first 1000 kept):\n" + new string('e', 1000))], log.Entries);
    }

    [Fact]
    public async Task A_megabyte_of_stderr_shows_the_person_the_first_4_KiB_of_whole_lines_and_logs_64_KiB()
    {
        var log = new RecordingLog();
        var line = "error line {0:00000}: " + new string('x', 82);

        var outcome = await RunScriptAsync($"seq -f 'error line %05g: {new string('x', 82)}' 1 10000 >&2\nexit 1\n", Context(log));

        // 10 000 lines of 101 bytes: 40 of them fit in 4 KiB.
        var shown = string.Join("\n", Enumerable.Range(1, 40).Select(i => string.Format(System.Globalization.CultureInfo.InvariantCulture, line, i)));
        Assert.Equal(shown + "\n… (1005960 more bytes of stderr; see the relay's log)", outcome.Message);
        var (level, message) = Assert.Single(log.Entries);
        Assert.Equal("warn", level);
        Assert.StartsWith("The command failed with exit code 1; its stderr (1010000 bytes, the first 65536 kept):\n" + shown + "\n", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stderr_shows_the_person_at_most_100_lines()
    {
        var log = new RecordingLog();

        var outcome = await RunScriptAsync("for i in $(seq -w 1 150); do echo \"l$i\"; done >&2\nexit 1\n", Context(log));

        var shown = string.Join("\n", Enumerable.Range(1, 100).Select(i => $"l{i:000}"));
        Assert.Equal(shown + "\n… (250 more bytes of stderr; see the relay's log)", outcome.Message);
        Assert.Equal([("warn", "The command failed with exit code 1; its stderr (750 bytes):\n" + string.Join("\n", Enumerable.Range(1, 150).Select(i => $"l{i:000}")))], log.Entries);
    }

    [Fact]
    public async Task Stderr_is_ignored_when_the_exit_code_is_zero()
    {
        var outcome = await RunScriptAsync("echo 'deprecated flag' >&2\necho done\n");

        Assert.Equal(["""{"body":["done"]}"""], Items(outcome));
    }

    [Fact]
    public async Task A_crash_names_the_signal()
    {
        var outcome = await RunScriptAsync("echo partial\nkill -SEGV $$\necho unreachable\n");

        Assert.Equal(ExecutionOutcome.Error("The command was terminated by signal SIGSEGV (exit code 139) and wrote nothing to stderr."), outcome);
    }

    [Fact]
    public async Task Stdin_is_the_input_item_as_json_then_closed()
    {
        // The bundle folder is read-only: the command hands back what it read, every byte, as base64.
        var outcome = await RunScriptAsync("base64 -w0\necho\n", Context(input: """{ "host": "db-1", "tags": ["a", "b"], "n": 1.50 }"""));

        var received = Assert.Single(Assert.Single(outcome.Items).GetProperty("body").EnumerateArray()).GetString()!;
        Assert.Equal("{\"host\":\"db-1\",\"tags\":[\"a\",\"b\"],\"n\":1.50}\n", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(received)));
    }

    [Fact]
    public async Task A_command_that_ignores_a_large_input_still_completes()
    {
        var big = "{\"blob\":\"" + new string('x', 1_000_000) + "\"}";

        var outcome = await RunScriptAsync("echo ignored\n", Context(input: big));

        Assert.Equal(["""{"body":["ignored"]}"""], Items(outcome));
    }

    [Fact]
    public async Task Large_stderr_and_stdout_together_do_not_deadlock()
    {
        var outcome = await RunScriptAsync("head -c 3000000 /dev/zero >&2\nfor i in $(seq 1 20000); do echo \"line $i\"; done\n");

        Assert.Equal(CommandStatus.Ok, outcome.Status);
        Assert.Equal(20000, Assert.Single(outcome.Items).GetProperty("body").GetArrayLength());
    }

    [Fact]
    public async Task A_flood_is_cut_at_the_output_limit_and_killed()
    {
        var watch = Stopwatch.StartNew();

        var outcome = await RunScriptAsync("yes\n", limits: new ExecutionLimits(MaxOutputBytes: 64 * 1024));

        Assert.Equal(ExecutionOutcome.Error("Command output exceeded the limit of 65536 bytes."), outcome);
        Assert.Equal(ExecutionErrors.OutputTooLarge(65536), outcome.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Output_exactly_at_the_limit_is_accepted()
    {
        var outcome = await RunScriptAsync("printf 'abc'\n", limits: new ExecutionLimits(MaxOutputBytes: 3));

        Assert.Equal(["""{"body":["abc"]}"""], Items(outcome));
    }

    [Fact]
    public async Task Cancellation_kills_the_command_and_its_children_quickly()
    {
        var marker = UniqueSleep();
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var watch = Stopwatch.StartNew();
        var run = RunScriptUntilAsync($"sleep {marker} &\nsleep 60\n", cancellation.Token);
        var childPid = await WaitForProcessAsync(marker);

        await cancellation.CancelAsync();
        var outcome = await run;

        Assert.Equal(ExecutionOutcome.Error("The command was stopped before it finished: it was cancelled or ran out of time."), outcome);
        Assert.Equal(ExecutableErrors.Cancelled, outcome.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        Assert.True(await IsGoneAsync(childPid), $"child {childPid} still running");
    }

    [Fact]
    public async Task A_child_that_would_keep_stdout_open_ends_with_the_command()
    {
        // The command is the first process of its sandbox's pid namespace but for bwrap: when it exits, bwrap exits and
        // the kernel kills everything left in the namespace, so no orphan holds the pipe (or anything else).
        var marker = UniqueSleep();

        var outcome = await RunScriptAsync($"sleep {marker} &\necho started\nexit 0\n");

        Assert.Equal(["""{"body":["started"]}"""], Items(outcome));
        Assert.Null(FindProcess(marker));
    }

    [Fact]
    public async Task An_already_cancelled_token_does_not_start_the_command()
    {
        var sandbox = new CountingSandbox(TestSandbox.Instance);
        var engine = new ExecutableEngine(sandbox, RelayEnvironment);

        var outcome = await engine.RunAsync(Invocation(Command(_bundle.Script("command.sh", "echo ran\n")), _bundle.Directory),
            ExecutionLimits.Default, new CancellationToken(canceled: true));

        Assert.Equal(ExecutableErrors.Cancelled, outcome.Message);
        Assert.Equal(0, sandbox.Prepared);
    }

    [Fact]
    public async Task An_absolute_path_is_run_as_is()
    {
        var path = _bundle.Script("bin/tool.sh", "#!/bin/sh\necho \"from $0\"\n");

        var outcome = await RunAsync(path);

        Assert.Equal($$"""{"body":["from {{path}}"]}""", Assert.Single(Items(outcome)));
    }

    [Fact]
    public async Task A_relative_path_runs_inside_the_bundle_folder()
    {
        _bundle.Script("bin/tool.sh", "#!/bin/sh\npwd\n");

        var outcome = await RunAsync("bin/tool.sh");

        Assert.Equal(Path.GetFullPath(_bundle.Directory), Assert.Single(outcome.Items).GetProperty("body")[0].GetString());
    }

    [Theory]
    [InlineData("/nonexistent/cog/tool.sh", "The executable '/nonexistent/cog/tool.sh' does not exist on this relay.")]
    [InlineData("bin/missing.sh", "The executable 'bin/missing.sh' does not exist on this relay.")]
    public async Task A_missing_executable_is_an_error(string target, string message)
    {
        var outcome = await RunAsync(target);

        Assert.Equal(ExecutionOutcome.Error(message), outcome);
    }

    [Fact]
    public async Task A_file_without_execute_permission_is_an_error()
    {
        _bundle.Script("bin/plain.sh", "echo hi\n", executable: false);

        var outcome = await RunAsync("bin/plain.sh");

        Assert.Equal(ExecutionOutcome.Error("The file 'bin/plain.sh' is not executable on this relay (it needs the execute permission)."), outcome);
    }

    [Fact]
    public async Task A_file_that_cannot_be_executed_is_an_error_not_an_exception()
    {
        var path = Path.Combine(_bundle.Directory, "data.bin");
        File.WriteAllBytes(path, [0x7F, 0x45, 0x4C, 0x46, 0, 0, 0, 0]);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute);

        var outcome = await RunAsync("data.bin");

        // The exec happens inside the sandbox, under the command's own user: its error is the command's stderr.
        Assert.Equal(CommandStatus.Error, outcome.Status);
        Assert.Contains($"{path}: Permission denied", outcome.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../outside.sh")]
    [InlineData("bin/../../outside.sh")]
    [InlineData("link.sh")]
    public async Task A_relative_path_may_not_leave_the_bundle_folder(string target)
    {
        var outside = Path.Combine(Path.GetDirectoryName(_bundle.Directory)!, "outside.sh");
        File.CreateSymbolicLink(Path.Combine(_bundle.Directory, "link.sh"), "/bin/true");

        var outcome = await RunAsync(target);

        Assert.Equal(ExecutionOutcome.Error($"The executable '{target}' is outside the bundle folder; a relative executable must stay inside it."), outcome);
        Assert.False(File.Exists(outside));
    }

    [Fact]
    public async Task A_link_that_stays_inside_the_bundle_is_followed()
    {
        _bundle.Script("bin/real.sh", "echo real\n");
        File.CreateSymbolicLink(Path.Combine(_bundle.Directory, "alias.sh"), Path.Combine(_bundle.Directory, "bin", "real.sh"));

        Assert.Equal(["""{"body":["real"]}"""], Items(await RunAsync("alias.sh")));
    }

    [Fact]
    public async Task The_relay_environment_is_not_inherited()
    {
        var secret = "COG_EXEC_TEST_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable("EXECUTABLE_ENGINE_TEST_SECRET", secret);
        try
        {
            var engine = new ExecutableEngine(TestSandbox.Instance);
            var path = _bundle.Script("env.sh", "#!/bin/sh\nenv\n");

            var outcome = await engine.RunAsync(Invocation(Command(path), _bundle.Directory), ExecutionLimits.Default, TestContext.Current.CancellationToken);

            var lines = Assert.Single(outcome.Items).GetProperty("body").EnumerateArray().Select(l => l.GetString()!).ToArray();
            Assert.DoesNotContain(lines, l => l.Contains(secret, StringComparison.Ordinal));
            Assert.Contains($"PATH={Environment.GetEnvironmentVariable("PATH")}", lines);
        }
        finally
        {
            Environment.SetEnvironmentVariable("EXECUTABLE_ENGINE_TEST_SECRET", null);
        }
    }

    [Fact]
    public async Task A_cog_1_executable_installed_outside_the_bundle_runs_but_its_neighbours_stay_hidden()
    {
        using var installed = new TempBundle();
        var tool = installed.Script("tool.sh", "#!/bin/sh\necho tool\ncat \"$(dirname \"$0\")/neighbour.txt\" 2>/dev/null || echo hidden\n");
        File.WriteAllText(Path.Combine(installed.Directory, "neighbour.txt"), "neighbour");

        var outcome = await RunAsync(tool);

        Assert.Equal(["""{"body":["tool","hidden"]}"""], Items(outcome));
    }

    [Fact]
    public async Task A_command_cannot_read_the_relays_files_or_see_its_process()
    {
        // A relay's cache beside the bundle folder, readable by all, as a token file often is.
        var relayCache = new TempBundle();
        File.WriteAllText(Path.Combine(relayCache.Directory, "relay.token"), "relay-secret-token");
        try
        {
            var outcome = await RunScriptAsync($"""
                cat {relayCache.Directory}/relay.token 2>&1
                tr '\0' ' ' < /proc/{Environment.ProcessId}/cmdline 2>&1
                echo
                id -u
                """);

            var lines = Assert.Single(outcome.Items).GetProperty("body").EnumerateArray().Select(l => l.GetString()!).ToArray();
            Assert.DoesNotContain(lines, l => l.Contains("relay-secret-token", StringComparison.Ordinal));
            Assert.DoesNotContain(lines, l => l.Contains("Cog.Relay.Tests", StringComparison.Ordinal));
            Assert.NotEqual("0", lines[^1]);
        }
        finally
        {
            relayCache.Dispose();
        }
    }

    [Fact]
    public async Task Concurrent_invocations_do_not_interfere()
    {
        _bundle.Script("echo-arg.sh", "echo \"$COG_ARGV_0\"\n");

        var runs = Enumerable.Range(0, 8).Select(i => _engine.RunAsync(
            Invocation(Command("echo-arg.sh"), _bundle.Directory, Context(arguments: [$"\"run {i}\""])), ExecutionLimits.Default, TestContext.Current.CancellationToken));
        var outcomes = await Task.WhenAll(runs);

        Assert.Equal(Enumerable.Range(0, 8).Select(i => $$"""{"body":["run {{i}}"]}""").ToArray(), outcomes.Select(o => Assert.Single(Items(o))).ToArray());
    }

    /// <summary>A sleep duration no other process has on its command line: it finds the command's child on the host
    /// (the command cannot write a pid file, and its own pids are those of its namespace).</summary>
    static string UniqueSleep() => "30." + Random.Shared.NextInt64(1_000_000_000, 9_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The host pid of the process running <c>sleep <paramref name="duration"/></c>.</summary>
    static async Task<int> WaitForProcessAsync(string duration)
    {
        for (var i = 0; i < 200; i++)
        {
            if (FindProcess(duration) is { } pid)
            {
                return pid;
            }
            await Task.Delay(25, TestContext.Current.CancellationToken);
        }
        throw new TimeoutException($"no process ran sleep {duration}");
    }

    /// <summary>The host pid of the live process running <c>sleep <paramref name="duration"/></c>, if any.</summary>
    static int? FindProcess(string duration)
    {
        var commandLine = "sleep\0" + duration + "\0";
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(folder), out var pid) && ReadQuietly(Path.Combine(folder, "cmdline")) == commandLine)
            {
                return pid;
            }
        }
        return null;
    }

    static string? ReadQuietly(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process ended while we looked.
            return null;
        }
    }

    /// <summary>Whether the process is gone (or a zombie waiting for its new parent to reap it).</summary>
    static async Task<bool> IsGoneAsync(int pid)
    {
        for (var i = 0; i < 100; i++)
        {
            var stat = $"/proc/{pid}/stat";
            if (!File.Exists(stat))
            {
                return true;
            }
            try
            {
                var text = File.ReadAllText(stat);
                if (text[(text.LastIndexOf(')') + 2)..].StartsWith('Z'))
                {
                    return true;
                }
            }
            catch (IOException)
            {
                return true;
            }
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
        return false;
    }

    /// <summary>Counts the processes prepared.</summary>
    sealed class CountingSandbox(ISandbox inner) : ISandbox
    {
        int _prepared;

        public int Prepared => _prepared;

        public IsolationReport Report => inner.Report;

        public bool HasNetwork(string bundle) => inner.HasNetwork(bundle);

        public ConfinedStart Prepare(SandboxRequest request)
        {
            Interlocked.Increment(ref _prepared);
            return inner.Prepare(request);
        }
    }
}
