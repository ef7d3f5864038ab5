using System.Collections.Immutable;
using Microsoft.Extensions.Logging;

namespace Cog.Relay.Isolation;

/// <summary>Chooses the relay's sandbox from what the host offers.</summary>
static class Sandbox
{
    /// <summary>The mechanisms <see cref="SandboxOptions.Require"/> insists on: all but <c>cgroup-v2</c>, which this
    /// relay does not use yet (its limits are rlimits).</summary>
    public static ImmutableArray<string> Required { get; } =
    [
        Mechanisms.Bubblewrap, Mechanisms.SeparateUser, Mechanisms.PidNamespace, Mechanisms.NetworkNamespace,
        Mechanisms.NoNewPrivs, Mechanisms.Rlimits,
    ];

    /// <summary>The bubblewrap sandbox when bubblewrap works on this host, else one that starts processes directly and
    /// reports every mechanism missing.</summary>
    public static ISandbox Create(SandboxOptions options, HostIsolation host)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(host);
        return host.BubblewrapUsable ? new BubblewrapSandbox(host, options) : new UnconfinedSandbox(host.BubblewrapProblem ?? "it is not usable");
    }

    /// <summary>The mechanisms of <see cref="Required"/> that <paramref name="report"/> lists as not available.</summary>
    public static ImmutableArray<IsolationMechanism> MissingRequired(IsolationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return [.. report.Mechanisms.Where(m => !m.Available && Required.Contains(m.Name))];
    }

    /// <summary>Says at start what the host lacks: a warning per mechanism not available; under
    /// <paramref name="require"/>, a missing <see cref="Required"/> mechanism is critical and the relay must not start
    /// (returns <see langword="false"/>).</summary>
    public static bool Announce(IsolationReport report, bool require, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(report);
        foreach (var mechanism in report.Mechanisms.Where(m => !m.Available))
        {
            SandboxLog.MechanismMissing(logger, mechanism.Name, mechanism.Detail);
        }
        var missing = MissingRequired(report);
        if (require && missing.Length > 0)
        {
            SandboxLog.Required(logger, string.Join(", ", missing.Select(m => m.Name)));
            return false;
        }
        return true;
    }
}

/// <summary>The names of the confinement mechanisms in an <see cref="IsolationReport"/>.</summary>
static class Mechanisms
{
    /// <summary>bubblewrap's private mount namespace: only the bundle's own files, read-only, and a private /tmp.</summary>
    public const string Bubblewrap = "bubblewrap";

    /// <summary>A user id of its own per process, without capabilities.</summary>
    public const string SeparateUser = "separate-user";

    /// <summary>A private pid namespace (and /proc).</summary>
    public const string PidNamespace = "pid-namespace";

    /// <summary>A private network namespace (no network) unless the bundle is allowed it.</summary>
    public const string NetworkNamespace = "network-namespace";

    /// <summary>no_new_privs: no privilege gained through exec.</summary>
    public const string NoNewPrivs = "no-new-privs";

    /// <summary>Limits on memory, CPU time, processes and open files.</summary>
    public const string Rlimits = "rlimits";

    /// <summary>cgroup v2 memory and pids limits.</summary>
    public const string CgroupV2 = "cgroup-v2";
}

/// <summary>What the relay logs about the sandbox.</summary>
static partial class SandboxLog
{
    [LoggerMessage(EventId = 210, Level = LogLevel.Warning, Message = "Bundle code isolation: {Mechanism} is not available: {Detail}.")]
    public static partial void MechanismMissing(ILogger logger, string mechanism, string detail);

    [LoggerMessage(EventId = 211, Level = LogLevel.Critical,
        Message = "Not starting: sandbox:require is set and this host lacks {Mechanisms} (see the warnings above).")]
    public static partial void Required(ILogger logger, string mechanisms);
}
