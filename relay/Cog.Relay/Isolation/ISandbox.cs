using System.Collections.Immutable;
using System.Diagnostics;

namespace Cog.Relay.Isolation;

/// <summary>
/// Starts bundle code — worker processes and executables — confined: a user of its own, private namespaces, only the
/// bundle's own files, limits on memory, CPU, processes and files. The relay never runs bundle code itself.
/// </summary>
/// <remarks>Thread-safe. What the host could not provide is in <see cref="Report"/>, which the relay logs at start and
/// publishes for <c>relay info</c>: a weaker confinement is never silent.</remarks>
interface ISandbox
{
    /// <summary>What confinement this host gives, mechanism by mechanism.</summary>
    IsolationReport Report { get; }

    /// <summary>Whether the processes of <paramref name="bundle"/> reach the network (and so the server's services at
    /// <c>COG_SERVICES_ROOT</c>).</summary>
    bool HasNetwork(string bundle);

    /// <summary>The start information of one confined process, and the lease of what it holds (its user id): dispose
    /// the lease once the process has exited. The start information redirects stdin, stdout and stderr.</summary>
    ConfinedStart Prepare(SandboxRequest request);
}

/// <summary>One process to start confined.</summary>
/// <param name="Program">The program: an absolute path, or a name found on the sandbox's <c>PATH</c>.</param>
/// <param name="Arguments">Its arguments.</param>
/// <param name="Environment">Its whole environment: nothing of the relay's is inherited.</param>
/// <param name="BundleName">The bundle whose code runs (for the network setting, and for messages).</param>
/// <param name="BundleDirectory">The bundle version's folder: visible read-only at the same path, and the working
/// directory.</param>
/// <param name="ReadOnlyPaths">Further folders or files visible read-only at the same path (the worker's own program
/// folder, the .NET runtime).</param>
/// <param name="MemoryBytes">The memory limit, or <see langword="null"/> for the relay's setting.</param>
sealed record SandboxRequest(
    string Program,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string> Environment,
    string BundleName,
    string BundleDirectory,
    IReadOnlyList<string> ReadOnlyPaths,
    long? MemoryBytes = null);

/// <summary>A prepared confined process: start <see cref="StartInfo"/>, and dispose <see cref="Lease"/> once it has exited.</summary>
sealed record ConfinedStart(ProcessStartInfo StartInfo, IDisposable Lease)
{
    /// <summary>The start information every sandbox begins from: <paramref name="program"/> with stdin, stdout and
    /// stderr redirected and exactly <paramref name="environment"/> (nothing of the relay's inherited).</summary>
    public static ProcessStartInfo Redirected(string program, IReadOnlyDictionary<string, string> environment)
    {
        var startInfo = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        startInfo.Environment.Clear();
        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }
        return startInfo;
    }
}

/// <summary>What confinement the host gives.</summary>
/// <param name="Mechanisms">Each mechanism, available or not, with why.</param>
sealed record IsolationReport(ImmutableArray<IsolationMechanism> Mechanisms)
{
    /// <summary>True when every mechanism is in force.</summary>
    public bool Complete => Mechanisms.All(m => m.Available);
}

/// <summary>One confinement mechanism.</summary>
/// <param name="Name">Its name, e.g. <c>bubblewrap</c>, <c>separate-user</c>, <c>pid-namespace</c>, <c>rlimits</c>, <c>cgroup-v2</c>.</param>
/// <param name="Available">Whether it is in force for the processes this relay starts.</param>
/// <param name="Detail">What it does here, or why it is not available (a sentence for operators).</param>
sealed record IsolationMechanism(string Name, bool Available, string Detail);
