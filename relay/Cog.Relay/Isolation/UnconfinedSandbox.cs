namespace Cog.Relay.Isolation;

/// <summary>
/// The sandbox of a host where bubblewrap cannot be used: the process starts directly, as the relay's user, with
/// exactly the environment it is given (nothing of the relay's is inherited) and the bundle folder as its working
/// directory — and nothing else of confinement. Its <see cref="Report"/> says so for every mechanism, so the relay
/// announces it at start and in <c>relay info</c>.
/// </summary>
/// <remarks>A worker's memory limit still holds through the .NET heap limit it is started with. Tests of the worker
/// protocol use this sandbox too (no bubblewrap needed).</remarks>
sealed class UnconfinedSandbox(string bubblewrapProblem) : ISandbox
{
    /// <summary>A sandbox for a host that was not asked about bubblewrap (tests).</summary>
    public UnconfinedSandbox()
        : this("not used")
    {
    }

    /// <inheritdoc/>
    public bool HasNetwork(string bundle) => true;

    /// <inheritdoc/>
    public IsolationReport Report { get; } = new(
    [
        new(Mechanisms.Bubblewrap, false, $"bubblewrap cannot be used ({bubblewrapProblem}): bundle code sees the relay's files"),
        new(Mechanisms.SeparateUser, false, "bundle code runs as the relay's user"),
        new(Mechanisms.PidNamespace, false, "bundle code sees every process of the host"),
        new(Mechanisms.NetworkNamespace, false, "every bundle can use the network"),
        new(Mechanisms.NoNewPrivs, false, "bundle code can run setuid programs"),
        new(Mechanisms.Rlimits, false, "no memory, CPU, process or file limits"),
        new(Mechanisms.CgroupV2, false, "not used"),
    ]);

    /// <inheritdoc/>
    public ConfinedStart Prepare(SandboxRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var info = ConfinedStart.Redirected(request.Program, request.Environment);
        info.WorkingDirectory = request.BundleDirectory;
        foreach (var argument in request.Arguments)
        {
            info.ArgumentList.Add(argument);
        }
        return new ConfinedStart(info, NothingHeld.Instance);
    }

    /// <summary>The lease of a process that holds nothing.</summary>
    sealed class NothingHeld : IDisposable
    {
        public static NothingHeld Instance { get; } = new();

        public void Dispose()
        {
        }
    }
}
