using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;

namespace Cog.Relay.Isolation;

/// <summary>
/// Confines each process with bubblewrap: a private mount namespace holding only <c>/usr</c>, a few <c>/etc</c> files,
/// the bundle's folder and the request's read-only paths (all read-only) and a private <c>/tmp</c>; private pid, IPC,
/// UTS and cgroup namespaces, and a private network namespace unless the bundle may use the network; no_new_privs;
/// rlimits on memory, CPU time, processes and open files; and, when the relay runs as root, a user id of its own
/// without any capability.
/// </summary>
/// <remarks>
/// <para>The command line is <c>bwrap [namespaces, mounts] -- prlimit [limits] -- setpriv [user, no capabilities] --
/// program</c>. bwrap runs as the relay's user so that, as root, it can mount folders the worker's user could not
/// reach (a cache under <c>/root</c>); <c>setpriv</c> drops to the leased user, clears the groups and every capability
/// (inheritable, bounding, ambient) just before the program starts. Not root: bwrap makes a user namespace and the
/// program runs as the relay's own user id (the report says so).</para>
/// <para>The environment goes to bwrap as its own environment, which it passes on: never on a command line, where any
/// user of the host could read it in <c>/proc/&lt;pid&gt;/cmdline</c>. bwrap's <c>/proc/&lt;pid&gt;/environ</c> is readable by
/// its own user only. bwrap adds <c>PWD</c> (the bundle folder), nothing else.</para>
/// <para>Killing the bwrap process ends everything inside: <c>--unshare-pid</c> makes bwrap the namespace's first
/// process, whose end kills the namespace, and <c>--die-with-parent</c> ends it with the relay.</para>
/// <para>Thread-safe.</para>
/// </remarks>
sealed class BubblewrapSandbox : ISandbox
{
    /// <summary>The <c>/etc</c> files a program may need (TLS roots, name resolution, user names, time zone, the
    /// dynamic linker's cache, Debian's alternatives), mounted when they exist. Never all of <c>/etc</c>: a relay's
    /// token or configuration may live there.</summary>
    public static ImmutableArray<string> EtcFiles { get; } =
    [
        "/etc/ssl", "/etc/ca-certificates", "/etc/ca-certificates.conf", "/etc/hosts", "/etc/resolv.conf", "/etc/nsswitch.conf",
        "/etc/host.conf", "/etc/gai.conf", "/etc/passwd", "/etc/group", "/etc/localtime", "/etc/timezone", "/etc/ld.so.cache",
        "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/alternatives",
    ];

    /// <summary>What the sandbox mounts itself, before any requested path.</summary>
    static readonly string[] SystemMounts = ["/usr", "/tmp", "/proc", "/dev", "/etc"];

    readonly HostIsolation _host;
    readonly SandboxOptions _options;
    readonly UserIdPool? _userIds;

    /// <param name="host">What the host offers; bubblewrap must be usable.</param>
    /// <param name="options">The limits, user ids and network setting.</param>
    public BubblewrapSandbox(HostIsolation host, SandboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(options);
        if (!host.BubblewrapUsable)
        {
            throw new ArgumentException($"bubblewrap is not usable: {host.BubblewrapProblem}", nameof(host));
        }
        _host = host;
        _options = options;
        _userIds = host.SeparateUsers ? new UserIdPool(options.FirstUserId, options.UserIdCount, UserIdPool.TakenIds()) : null;
        Report = BuildReport(host, options, _userIds);
    }

    /// <inheritdoc/>
    public IsolationReport Report { get; }

    /// <inheritdoc/>
    public bool HasNetwork(string bundle) => _options.NetworkBundles.Contains(bundle);

    /// <inheritdoc/>
    public ConfinedStart Prepare(SandboxRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var lease = _userIds?.Take();
        return new ConfinedStart(StartInfo(_host, _options, request, lease?.Id), lease ?? (IDisposable)NoLease.Instance);
    }

    /// <summary>The start information of <paramref name="request"/> confined; <paramref name="userId"/> is the user
    /// it runs under when the host has separate users.</summary>
    internal static ProcessStartInfo StartInfo(HostIsolation host, SandboxOptions options, SandboxRequest request, int? userId)
    {
        var startInfo = ConfinedStart.Redirected(host.Bubblewrap!, request.Environment);
        var arguments = startInfo.ArgumentList;
        foreach (var argument in Namespaces(host, options.NetworkBundles.Contains(request.BundleName)))
        {
            arguments.Add(argument);
        }
        foreach (var argument in Mounts(request, options.HiddenFiles, options.WritableFolders.GetValueOrDefault(request.BundleName, [])))
        {
            arguments.Add(argument);
        }
        arguments.Add("--chdir");
        arguments.Add(request.BundleDirectory);
        arguments.Add("--");
        if (host.Prlimit is { } prlimit)
        {
            arguments.Add(prlimit);
            arguments.Add(Limit("data", request.MemoryBytes ?? options.MemoryBytes));
            arguments.Add(Limit("cpu", options.CpuSeconds));
            arguments.Add(Limit("nproc", options.Processes));
            arguments.Add(Limit("nofile", options.OpenFiles));
            arguments.Add("--");
        }
        if (host.SeparateUsers && userId is { } id)
        {
            var text = id.ToString(CultureInfo.InvariantCulture);
            arguments.Add(host.Setpriv!);
            arguments.Add("--reuid=" + text);
            arguments.Add("--regid=" + text);
            arguments.Add("--clear-groups");
            arguments.Add("--inh-caps=-all");
            arguments.Add("--ambient-caps=-all");
            arguments.Add("--bounding-set=-all");
            arguments.Add("--no-new-privs");
            arguments.Add("--");
        }
        arguments.Add(request.Program);
        foreach (var argument in request.Arguments)
        {
            arguments.Add(argument);
        }
        return startInfo;
    }

    static IEnumerable<string> Namespaces(HostIsolation host, bool network)
    {
        // As root no user namespace: bwrap keeps the power to mount, and setpriv drops to a real, unmapped-free user id.
        if (!host.IsRoot)
        {
            yield return "--unshare-user";
        }
        yield return "--unshare-pid";
        yield return "--unshare-ipc";
        yield return "--unshare-uts";
        yield return "--unshare-cgroup-try";
        if (!network)
        {
            yield return "--unshare-net";
        }
        yield return "--die-with-parent";
        // A new session: the program cannot push input into the relay's terminal (TIOCSTI).
        yield return "--new-session";
    }

    static IEnumerable<string> Mounts(SandboxRequest request, ImmutableArray<string> hiddenFiles, ImmutableArray<string> writable)
    {
        string[] system =
        [
            "--ro-bind", "/usr", "/usr",
            "--symlink", "usr/lib", "/lib",
            "--symlink", "usr/lib64", "/lib64",
            "--symlink", "usr/bin", "/bin",
            "--symlink", "usr/sbin", "/sbin",
            "--proc", "/proc",
            "--dev", "/dev",
            // Sticky and writable by all, like a host's /tmp: the process's user is not the mount's owner.
            "--perms", "1777", "--tmpfs", "/tmp",
        ];
        foreach (var argument in system)
        {
            yield return argument;
        }
        foreach (var file in EtcFiles)
        {
            yield return "--ro-bind-try";
            yield return file;
            yield return file;
        }
        // After /tmp: a bundle folder under /tmp is mounted over the private /tmp, not hidden by it.
        string[] visible = [request.BundleDirectory, .. request.ReadOnlyPaths];
        foreach (var folder in Ancestors([.. visible, .. writable]))
        {
            // bwrap makes missing parent folders private to root (0700): the process's user could not walk through them.
            yield return "--perms";
            yield return "0755";
            yield return "--dir";
            yield return folder;
        }
        foreach (var path in visible)
        {
            yield return "--ro-bind";
            yield return path;
            yield return path;
        }
        foreach (var folder in writable)
        {
            yield return "--bind";
            yield return folder;
            yield return folder;
        }
        foreach (var file in HiddenIn([.. visible, .. writable], hiddenFiles))
        {
            yield return "--ro-bind";
            yield return "/dev/null";
            yield return file;
        }
    }

    /// <summary>The folders above <paramref name="paths"/> that bwrap would create, parents first: not <c>/</c>, not the
    /// sandbox's own mounts, and nothing under a read-only one (where the folders exist already).</summary>
    static IEnumerable<string> Ancestors(string[] paths)
    {
        var ancestors = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            for (var parent = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(path)); parent is not (null or "/");
                parent = Path.GetDirectoryName(parent))
            {
                if (!SystemMounts.Contains(parent) && !SystemMounts.Any(m => m != "/tmp" && parent.StartsWith(m + "/", StringComparison.Ordinal)))
                {
                    ancestors.Add(parent);
                }
            }
        }
        // Ordinal order puts a parent before its children.
        return ancestors;
    }

    /// <summary>The files to cover with an empty one: the relay's configuration files (<c>appsettings*.json</c>) at the top
    /// of a visible folder, and every <paramref name="hiddenFiles"/> that is visible or inside a visible folder.</summary>
    static IEnumerable<string> HiddenIn(string[] visible, ImmutableArray<string> hiddenFiles)
    {
        var hidden = new SortedSet<string>(StringComparer.Ordinal);
        var secret = hiddenFiles.Select(Path.GetFullPath).ToHashSet(StringComparer.Ordinal);
        hidden.UnionWith(visible.Where(File.Exists).Select(Path.GetFullPath).Where(secret.Contains));
        foreach (var path in visible.Where(Directory.Exists))
        {
            hidden.UnionWith(Directory.EnumerateFiles(path, "appsettings*.json"));
            var folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)) + Path.DirectorySeparatorChar;
            hidden.UnionWith(secret.Where(f => f.StartsWith(folder, StringComparison.Ordinal) && File.Exists(f)));
        }
        return hidden;
    }

    static string Limit(string name, long value) => $"--{name}={value.ToString(CultureInfo.InvariantCulture)}";

    static IsolationReport BuildReport(HostIsolation host, SandboxOptions options, UserIdPool? userIds)
    {
        var network = options.NetworkBundles.IsEmpty ? "none" : string.Join(", ", options.NetworkBundles.Order(StringComparer.Ordinal));
        return new IsolationReport(
        [
            new(Mechanisms.Bubblewrap, true,
                $"{host.Bubblewrap}: a private mount namespace with /usr, a few /etc files and the bundle's folder read-only, and a private /tmp"
                + (options.WritableFolders.IsEmpty ? "" : "; writable: " + string.Join("; ", options.WritableFolders
                    .OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => $"{b.Key}: {string.Join(", ", b.Value)}")))),
            userIds is not null
                ? new(Mechanisms.SeparateUser, true,
                    $"each process runs under a user id of its own ({options.FirstUserId}-{options.FirstUserId + options.UserIdCount - 1}, {userIds.Size} free of the host's), without capabilities")
                : new(Mechanisms.SeparateUser, false, host.IsRoot
                    ? "setpriv (util-linux) is not on the PATH: bundle code runs as the relay's user"
                    : "the relay does not run as root: bundle code runs under the relay's own user id"),
            new(Mechanisms.PidNamespace, true, "a process sees only its own sandbox's processes in /proc"),
            new(Mechanisms.NetworkNamespace, true, $"no network, except for the bundles allowed it: {network}"),
            new(Mechanisms.NoNewPrivs, true, "no process can gain privileges (setuid programs, file capabilities)"),
            host.Prlimit is not null
                ? new(Mechanisms.Rlimits, true,
                    $"data {options.MemoryBytes / (1024 * 1024)} MiB, CPU {options.CpuSeconds} s, {options.Processes} processes, {options.OpenFiles} open files")
                : new(Mechanisms.Rlimits, false, "prlimit (util-linux) is not on the PATH: no memory, CPU, process or file limits"),
            new(Mechanisms.CgroupV2, false, $"not used: {host.Cgroup}; the limits are rlimits"),
        ]);
    }

    sealed class NoLease : IDisposable
    {
        public static readonly NoLease Instance = new();

        public void Dispose()
        {
        }
    }
}
