using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace Cog.Relay.Isolation;

/// <summary>What this host offers for confining bundle code, found once at start: bubblewrap (and whether it really
/// runs here), whether the relay can give each process a user of its own, util-linux's <c>setpriv</c> and
/// <c>prlimit</c>, and cgroup v2.</summary>
/// <param name="Bubblewrap">The full path of <c>bwrap</c>, or <see langword="null"/> when it is not on the PATH.</param>
/// <param name="BubblewrapProblem">Why bubblewrap cannot confine a process here (it is missing, or a trial run failed,
/// with its error), or <see langword="null"/> when it can.</param>
/// <param name="IsRoot">Whether the relay runs as root: only root can start a process under another user id.</param>
/// <param name="Setpriv">The full path of <c>setpriv</c>, or <see langword="null"/>.</param>
/// <param name="Prlimit">The full path of <c>prlimit</c>, or <see langword="null"/>.</param>
/// <param name="Cgroup">What the host's cgroup v2 hierarchy offers, for the report (this relay does not use it yet).</param>
sealed record HostIsolation(string? Bubblewrap, string? BubblewrapProblem, bool IsRoot, string? Setpriv, string? Prlimit, string Cgroup)
{
    // A trial run takes a few milliseconds; this only bounds a bwrap that hangs.
    static readonly TimeSpan TrialTimeout = TimeSpan.FromSeconds(10);

    /// <summary>True when bubblewrap can confine processes on this host.</summary>
    public bool BubblewrapUsable => Bubblewrap is not null && BubblewrapProblem is null;

    /// <summary>True when every process can run under a user id of its own (root, with <c>setpriv</c>).</summary>
    public bool SeparateUsers => IsRoot && Setpriv is not null;

    /// <summary>Looks at this host.</summary>
    /// <param name="options">The sandbox settings (the trial run uses the first user id of the range).</param>
    /// <param name="searchPath">Where the programs are looked for (default: the relay's <c>PATH</c>).</param>
    /// <param name="isRoot">Whether the relay runs as root (default: its effective user id is 0).</param>
    /// <param name="cgroupRoot">The cgroup v2 mount point (default <c>/sys/fs/cgroup</c>).</param>
    public static async Task<HostIsolation> DetectAsync(SandboxOptions options, string? searchPath = null, bool? isRoot = null,
        string cgroupRoot = "/sys/fs/cgroup")
    {
        ArgumentNullException.ThrowIfNull(options);
        searchPath ??= Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin";
        var root = isRoot ?? EffectiveUserId() == 0;
        var bwrap = Find("bwrap", searchPath);
        var host = new HostIsolation(bwrap, bwrap is null ? "bwrap (Debian package bubblewrap) is not on the PATH" : null, root,
            Find("setpriv", searchPath), Find("prlimit", searchPath), DescribeCgroup(cgroupRoot));
        return bwrap is null ? host : host with { BubblewrapProblem = await TrialAsync(host, options).ConfigureAwait(false) };
    }

    /// <summary>Runs <c>/usr/bin/true</c> confined exactly as a command would be; returns why that failed, or
    /// <see langword="null"/>.</summary>
    static async Task<string?> TrialAsync(HostIsolation host, SandboxOptions options)
    {
        var request = new SandboxRequest("/usr/bin/true", [], new Dictionary<string, string>(), "trial", "/usr", []);
        var startInfo = BubblewrapSandbox.StartInfo(host, options, request, options.FirstUserId);
        try
        {
            using var process = Process.Start(startInfo)!;
            process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TrialTimeout);
            string errors;
            try
            {
                errors = await process.StandardError.ReadToEndAsync(timeout.Token).ConfigureAwait(false);
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                return "a trial run of bwrap did not end";
            }
            if (process.ExitCode == 0)
            {
                return null;
            }
            var message = errors.Trim();
            var reason = $"a trial run of bwrap failed (exit code {process.ExitCode.ToString(CultureInfo.InvariantCulture)}: {message})";
            return host.IsRoot ? reason : reason + "; unprivileged user namespaces may be off (sysctl user.max_user_namespaces, kernel.unprivileged_userns_clone)";
        }
        catch (Win32Exception e)
        {
            return $"bwrap could not be started: {e.Message}";
        }
    }

    /// <summary>The relay's effective user id, from <c>/proc/self/status</c> (its <c>Uid:</c> line: real, effective,
    /// saved, file-system).</summary>
    static long EffectiveUserId()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("Uid:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[2], CultureInfo.InvariantCulture);
            }
        }
        return -1;
    }

    static string DescribeCgroup(string root)
    {
        var controllers = Path.Combine(root, "cgroup.controllers");
        if (!File.Exists(controllers))
        {
            return $"the host has no cgroup v2 hierarchy at {root}";
        }
        var available = File.ReadAllText(controllers).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var missing = new[] { "memory", "pids" }.Where(c => !available.Contains(c)).ToArray();
        return missing.Length > 0
            ? $"cgroup v2 at {root} has no {string.Join(" or ", missing)} controller"
            : $"cgroup v2 at {root} has the memory and pids controllers, but this relay does not create cgroups yet";
    }

    /// <summary>The full path of <paramref name="program"/> in the first folder of <paramref name="searchPath"/> that
    /// holds it as an executable file, links resolved.</summary>
    static string? Find(string program, string searchPath)
    {
        foreach (var folder in searchPath.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var path = Path.Combine(folder, program);
            if (File.Exists(path) && !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & UnixFileMode.OtherExecute) != 0)
            {
                // The real file: the sandbox mounts /usr, not the folder a link may live in.
                return File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
            }
        }
        return null;
    }
}
