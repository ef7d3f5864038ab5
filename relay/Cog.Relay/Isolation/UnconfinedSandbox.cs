using System.Diagnostics;

namespace Cog.Relay.Isolation;

/// <summary>
/// The sandbox of a host that confines nothing: the process starts directly, as the relay's user, with exactly the
/// environment it is given (nothing of the relay's is inherited) and the bundle folder as its working directory.
/// </summary>
/// <remarks>Its <see cref="Report"/> says so, so the relay announces the missing confinement at start. The memory limit
/// of a worker still holds through the .NET heap limit the worker is started with.</remarks>
sealed class UnconfinedSandbox : ISandbox
{
    /// <summary>The name of the one mechanism this sandbox reports, not available.</summary>
    public const string MechanismName = "confinement";

    /// <summary>The operator's sentence for it.</summary>
    public const string Detail = "bundle code runs as the relay's user without namespaces or limits";

    /// <inheritdoc/>
    public IsolationReport Report { get; } = new([new IsolationMechanism(MechanismName, Available: false, Detail)]);

    /// <inheritdoc/>
    public ConfinedStart Prepare(SandboxRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var info = new ProcessStartInfo(request.Program)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = request.BundleDirectory,
        };
        foreach (var argument in request.Arguments)
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment.Clear();
        foreach (var (name, value) in request.Environment)
        {
            info.Environment[name] = value;
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
