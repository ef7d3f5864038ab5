using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using Cog.Relay.Isolation;
using static Cog.Relay.Tests.Isolation.SandboxKit;

namespace Cog.Relay.Tests.Isolation;

/// <summary>Probe scripts run through the real bubblewrap sandbox (the relay runs as root, as on the CI host): each
/// tries one escape and prints what it got.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class BubblewrapSandboxTests : IDisposable
{
    readonly List<string> _folders = [];

    public void Dispose()
    {
        foreach (var folder in _folders)
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    string Keep(string folder)
    {
        _folders.Add(folder);
        return folder;
    }

    static async Task<ISandbox> SandboxAsync(SandboxOptions? options = null)
    {
        options ??= new SandboxOptions();
        var host = await HostAsync(options);
        Assert.True(host.BubblewrapUsable, host.BubblewrapProblem);
        Assert.True(host.SeparateUsers, "these tests run as root, with setpriv");
        return Sandbox.Create(options, host);
    }

    [Fact]
    public async Task The_report_has_every_mechanism_but_cgroups_in_force()
    {
        var sandbox = await SandboxAsync();

        Assert.IsType<BubblewrapSandbox>(sandbox);
        Assert.Empty(Sandbox.MissingRequired(sandbox.Report));
        var cgroup = Assert.Single(sandbox.Report.Mechanisms, m => !m.Available);
        Assert.Equal(Mechanisms.CgroupV2, cgroup.Name);
    }

    [Fact]
    public async Task A_process_runs_as_a_user_of_its_own_without_capabilities_or_new_privileges()
    {
        var sandbox = await SandboxAsync();
        var bundle = Keep(Probe("id -u; id -g; id -G; grep -E '^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs):' /proc/self/status\n"));

        var run = await RunAsync(sandbox, Request(bundle));

        Assert.Equal(0, run.ExitCode);
        var uid = int.Parse(run.Lines[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(uid >= SandboxOptions.DefaultFirstUserId, run.Output);
        Assert.Equal(run.Lines[0], run.Lines[1]);
        Assert.Equal(run.Lines[0], run.Lines[2]);
        Assert.Equal(
            ["CapInh:\t0000000000000000", "CapPrm:\t0000000000000000", "CapEff:\t0000000000000000", "CapBnd:\t0000000000000000",
                "CapAmb:\t0000000000000000", "NoNewPrivs:\t1"],
            run.Lines[3..]);
    }

    [Fact]
    public async Task Two_live_processes_never_share_a_user_id()
    {
        var sandbox = await SandboxAsync();
        var bundle = Keep(Probe("id -u; read line\n"));
        var first = Start(sandbox, Request(bundle));
        var second = Start(sandbox, Request(bundle));

        var runs = await Task.WhenAll(first.EndAsync(), second.EndAsync());

        Assert.NotEqual(runs[0].Lines[0], runs[1].Lines[0]);
    }

    [Fact]
    public async Task Files_outside_the_bundle_folder_cannot_be_read()
    {
        var sandbox = await SandboxAsync();
        var relayCache = Keep(Folder(("relay.token", "relay-secret-token")));
        var otherBundle = Keep(Folder(("config.yaml", "other-bundle-secret")));
        var bundle = Keep(Probe($"""
            cat {relayCache}/relay.token || echo "no token"
            cat {otherBundle}/config.yaml || echo "no other bundle"
            ls /etc
            cat /etc/shadow || echo "no shadow"
            ls /root || echo "no root"
            """));

        var run = await RunAsync(sandbox, Request(bundle));

        Assert.DoesNotContain("secret", run.Output, StringComparison.Ordinal);
        Assert.Contains("no token", run.Lines);
        Assert.Contains("no other bundle", run.Lines);
        Assert.Contains("no shadow", run.Lines);
        Assert.Contains("no root", run.Lines);
        // Only the listed /etc files: nothing the relay or another program keeps there.
        var etc = run.Lines.SkipWhile(l => l != "no other bundle").Skip(1).TakeWhile(l => l != "no shadow");
        Assert.All(etc, name => Assert.Contains("/etc/" + name, BubblewrapSandbox.EtcFiles));
    }

    [Fact]
    public async Task The_bundle_folder_is_read_only_and_tmp_is_private_and_writable()
    {
        var sandbox = await SandboxAsync();
        var marker = "cog-sandbox-marker-" + Guid.NewGuid().ToString("N");
        var bundle = Keep(Probe($"""
            touch probe.sh.new 2>/dev/null && echo "bundle writable" || echo "bundle read-only"
            echo hi > /tmp/{marker} && cat /tmp/{marker}
            ls /tmp
            """));

        var run = await RunAsync(sandbox, Request(bundle));

        Assert.Equal("bundle read-only", run.Lines[0]);
        Assert.Equal("hi", run.Lines[1]);
        Assert.False(File.Exists(Path.Combine(Path.GetTempPath(), marker)));
        Assert.False(File.Exists(Path.Combine(bundle, "probe.sh.new")));
    }

    [Fact]
    public async Task The_environment_is_exactly_the_requested_one()
    {
        var sandbox = await SandboxAsync();
        var bundle = Keep(Folder());
        var environment = new Dictionary<string, string> { ["COG_BUNDLE"] = "probe", ["GREETING"] = "hello world" };

        var run = await RunAsync(sandbox, new SandboxRequest("/usr/bin/env", [], environment, "probe", bundle, []));

        // bwrap sets PWD to the working directory, as a shell would.
        Assert.Equal(["COG_BUNDLE=probe", "GREETING=hello world", "PWD=" + bundle], run.Lines.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Proc_shows_only_the_sandbox_and_no_other_process_environment()
    {
        var sandbox = await SandboxAsync();
        var secret = "other-bundle-secret-" + Guid.NewGuid().ToString("N");
        var holder = Keep(Probe("echo started >&2; read line\n"));
        var running = Start(sandbox, Request(holder, new Dictionary<string, string> { ["SECRET"] = secret }));
        await running.ErrorLineAsync("started");
        var bundle = Keep(Probe("""
            for status in /proc/[0-9]*/status; do grep -h '^Name:' "$status"; done
            cat /proc/[0-9]*/environ 2>/dev/null | tr '\0' '\n'
            """));

        var run = await RunAsync(sandbox, Request(bundle));
        running.Process.StandardInput.Dispose();
        await running.EndAsync();

        Assert.DoesNotContain(secret, run.Output, StringComparison.Ordinal);
        // bwrap (the namespace's init), bash, and the probe's own children: nothing of the host or the other sandbox.
        var names = run.Lines.Where(l => l.StartsWith("Name:", StringComparison.Ordinal)).Select(l => l[5..].Trim()).ToHashSet();
        Assert.Subset(new HashSet<string> { "bwrap", "probe.sh", "bash", "grep", "cat", "tr" }, names);
    }

    [Fact]
    public async Task There_is_no_network_unless_the_bundle_is_allowed_it()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var bundle = Keep(Probe($"(exec 3<>/dev/tcp/127.0.0.1/{port}) 2>/dev/null && echo connected || echo refused\n"));

        var closed = await RunAsync(await SandboxAsync(), Request(bundle, bundleName: "probe"));
        var open = await RunAsync(await SandboxAsync(new SandboxOptions { NetworkBundles = ["probe"] }), Request(bundle, bundleName: "probe"));

        Assert.Equal(["refused"], closed.Lines);
        Assert.Equal(["connected"], open.Lines);
    }

    [Fact]
    public async Task Memory_over_the_limit_cannot_be_allocated()
    {
        var sandbox = await SandboxAsync(new SandboxOptions { MemoryBytes = 256L << 20 });
        var bundle = Keep(Probe("dd if=/dev/zero of=/dev/null bs=100M count=1 2>/dev/null && echo 100M\ndd if=/dev/zero of=/dev/null bs=600M count=1\n"));

        var run = await RunAsync(sandbox, Request(bundle));

        Assert.Equal(["100M"], run.Lines);
        Assert.Contains("memory exhausted", run.Errors, StringComparison.Ordinal);
        Assert.NotEqual(0, run.ExitCode);
    }

    [Fact]
    public async Task A_fork_loop_hits_the_process_limit_and_the_kill_leaves_no_process_behind()
    {
        // User ids of their own: other tests' sandboxes (each with its own pool) start at the default first id.
        const int FirstUserId = SandboxOptions.DefaultFirstUserId + 500_000;
        var sandbox = await SandboxAsync(new SandboxOptions { Processes = 32, FirstUserId = FirstUserId });
        var bundle = Keep(Probe("id -u >&2\nbomb() { bomb | bomb & }\nbomb\nwait\n"));
        var running = Start(sandbox, Request(bundle));

        await running.ErrorLineAsync("Resource temporarily unavailable");
        running.Kill();
        var run = await running.EndAsync();

        var userId = int.Parse(run.Errors.Split('\n')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(userId >= FirstUserId);
        // The kernel ends the rest of the namespace once its first process is gone; reaping them takes a moment.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (ProcessesOf(userId).Length > 0 && watch.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
        Assert.Empty(ProcessesOf(userId));
    }

    [Fact]
    public async Task The_relay_configuration_and_token_files_are_hidden_in_a_read_only_path()
    {
        var program = Keep(Folder(("appsettings.json", """{"token":"relay-secret"}"""), ("relay.token", "relay-secret"), ("Worker.dll", "code")));
        var sandbox = await SandboxAsync(new SandboxOptions { HiddenFiles = [Path.Combine(program, "relay.token")] });
        var bundle = Keep(Probe($"cat {program}/appsettings.json {program}/relay.token; cat {program}/Worker.dll\n"));

        var run = await RunAsync(sandbox, Request(bundle, readOnlyPaths: [program]));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["code"], run.Lines);
    }

    [Fact]
    public async Task A_hidden_file_named_as_a_read_only_path_is_still_hidden()
    {
        var cache = Keep(Folder(("relay.token", "relay-secret")));
        var token = Path.Combine(cache, "relay.token");
        var sandbox = await SandboxAsync(new SandboxOptions { HiddenFiles = [token] });
        var bundle = Keep(Probe($"cat {token}; echo end\n"));

        var run = await RunAsync(sandbox, Request(bundle, readOnlyPaths: [token]));

        Assert.Equal(["end"], run.Lines);
    }

    [Fact]
    public async Task A_writable_folder_is_writable_for_its_bundle_only()
    {
        var spool = Keep(Folder());
        File.SetUnixFileMode(spool, (UnixFileMode)0x3FF); // 01777, like /tmp: the command's own user writes there
        var sandbox = await SandboxAsync(new SandboxOptions { WritableFolders = ImmutableDictionary<string, ImmutableArray<string>>.Empty.Add("logger", [spool]) });
        var bundle = Keep(Probe($"echo line >> {spool}/log.txt && echo written || echo refused\n"));

        var logger = await RunAsync(sandbox, Request(bundle, bundleName: "logger"));
        var other = await RunAsync(sandbox, Request(bundle, bundleName: "other"));

        Assert.Equal(["written"], logger.Lines);
        Assert.Equal(["refused"], other.Lines);
        Assert.Equal("line\n", File.ReadAllText(Path.Combine(spool, "log.txt")));
    }
}
