using Cog.Relay.Isolation;
using Cog.Testing;
using Microsoft.Extensions.Logging;
using static Cog.Relay.Tests.Isolation.SandboxKit;

namespace Cog.Relay.Tests.Isolation;

/// <summary>What the relay reports when the host lacks a mechanism: each missing piece simulated by a PATH without it
/// or by pretending not to be root.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class HostIsolationTests : IDisposable
{
    readonly string _bin = Folder();

    public void Dispose() => Directory.Delete(_bin, recursive: true);

    /// <summary>A PATH holding only links to the named programs of /usr/bin.</summary>
    string PathWith(params string[] programs)
    {
        foreach (var program in programs)
        {
            File.CreateSymbolicLink(Path.Combine(_bin, program), "/usr/bin/" + program);
        }
        return _bin;
    }

    [Fact]
    public async Task Without_bwrap_the_relay_starts_processes_directly_and_reports_every_mechanism_missing()
    {
        var options = new SandboxOptions();
        var host = await HostIsolation.DetectAsync(options, searchPath: PathWith("setpriv", "prlimit"));

        var sandbox = Sandbox.Create(options, host);

        Assert.False(host.BubblewrapUsable);
        Assert.DoesNotContain(sandbox.Report.Mechanisms, m => m.Available);
        var bubblewrap = Assert.Single(sandbox.Report.Mechanisms, m => m.Name == Mechanisms.Bubblewrap);
        Assert.Contains("bwrap (Debian package bubblewrap) is not on the PATH", bubblewrap.Detail, StringComparison.Ordinal);
        Assert.Equal(Sandbox.Required, Sandbox.MissingRequired(sandbox.Report).Select(m => m.Name));
    }

    [Fact]
    public async Task The_fallback_still_gives_a_process_exactly_its_environment()
    {
        var options = new SandboxOptions();
        var sandbox = Sandbox.Create(options, await HostIsolation.DetectAsync(options, searchPath: PathWith("setpriv")));
        var bundle = Folder();

        var run = await RunAsync(sandbox, new SandboxRequest("/usr/bin/env", [], new Dictionary<string, string> { ["ONLY"] = "this" }, "probe", bundle, []));
        Directory.Delete(bundle);

        Assert.Equal(["ONLY=this"], run.Lines);
    }

    [Fact]
    public async Task Not_root_means_no_separate_user_and_the_report_says_so()
    {
        var options = new SandboxOptions();
        var host = await HostIsolation.DetectAsync(options, isRoot: false);

        var sandbox = Sandbox.Create(options, host);

        var missing = Assert.Single(Sandbox.MissingRequired(sandbox.Report));
        Assert.Equal(Mechanisms.SeparateUser, missing.Name);
        Assert.Equal("the relay does not run as root: bundle code runs under the relay's own user id", missing.Detail);
    }

    [Fact]
    public async Task Without_prlimit_there_are_no_limits_and_the_report_says_so()
    {
        var options = new SandboxOptions();
        var host = await HostIsolation.DetectAsync(options, searchPath: PathWith("bwrap", "setpriv", "true"));

        var sandbox = Sandbox.Create(options, host);
        var start = sandbox.Prepare(new SandboxRequest("/usr/bin/true", [], new Dictionary<string, string>(), "probe", "/usr", []));
        start.Lease.Dispose();

        var missing = Assert.Single(Sandbox.MissingRequired(sandbox.Report));
        Assert.Equal(Mechanisms.Rlimits, missing.Name);
        Assert.Contains("prlimit (util-linux) is not on the PATH", missing.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(start.StartInfo.ArgumentList, a => a.EndsWith("prlimit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_cgroup_hierarchy_without_controllers_is_reported_with_why()
    {
        var cgroup = Folder(("cgroup.controllers", "cpu io\n"));
        var host = await HostIsolation.DetectAsync(new SandboxOptions(), cgroupRoot: cgroup);
        var none = await HostIsolation.DetectAsync(new SandboxOptions(), cgroupRoot: _bin);
        Directory.Delete(cgroup, recursive: true);

        Assert.Equal($"cgroup v2 at {cgroup} has no memory or pids controller", host.Cgroup);
        Assert.Equal($"the host has no cgroup v2 hierarchy at {_bin}", none.Cgroup);
    }

    [Fact]
    public async Task The_relay_warns_of_each_missing_mechanism_and_refuses_to_start_only_when_required()
    {
        var options = new SandboxOptions();
        var report = Sandbox.Create(options, await HostIsolation.DetectAsync(options, isRoot: false)).Report;
        var log = new CollectingLoggerFactory();

        var mayStart = Sandbox.Announce(report, require: false, log.CreateLogger("sandbox"));
        var mayStartRequired = Sandbox.Announce(report, require: true, log.CreateLogger("sandbox"));

        Assert.True(mayStart);
        Assert.False(mayStartRequired);
        Assert.Equal(
        [
            (LogLevel.Warning, "Bundle code isolation: separate-user is not available: the relay does not run as root: bundle code runs under the relay's own user id."),
            (LogLevel.Warning, $"Bundle code isolation: cgroup-v2 is not available: {report.Mechanisms[^1].Detail}."),
            (LogLevel.Warning, "Bundle code isolation: separate-user is not available: the relay does not run as root: bundle code runs under the relay's own user id."),
            (LogLevel.Warning, $"Bundle code isolation: cgroup-v2 is not available: {report.Mechanisms[^1].Detail}."),
            (LogLevel.Critical, "Not starting: sandbox:require is set and this host lacks separate-user (see the warnings above)."),
        ], log.Lines.Select(l => (l.Level, l.Text)));
    }
}
