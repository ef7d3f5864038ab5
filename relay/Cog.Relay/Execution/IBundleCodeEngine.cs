namespace Cog.Relay.Execution;

/// <summary>Runs the <c>script:</c> and plug-in <c>type</c> commands of the bundle versions it was told to load
/// (<see cref="Workers.WorkerEngine"/>: in worker processes).</summary>
/// <remarks>Thread-safe. <see cref="Load"/> and <see cref="Unload"/> are counted per folder: a folder loaded twice is
/// served until it was unloaded twice.</remarks>
interface IBundleCodeEngine : ICommandEngine, IAsyncDisposable
{
    /// <summary>Starts serving the bundle version in <paramref name="directory"/>.</summary>
    /// <param name="assembly">The manifest's plug-in assembly (relative to the folder), or <see langword="null"/>.</param>
    void Load(string bundle, string directory, string? assembly);

    /// <summary>Ends one <see cref="Load"/> of the folder; the last one stops serving it.</summary>
    void Unload(string directory);
}
