namespace Cog.Relay.Execution.Workers;

/// <summary>How a relay runs the worker processes of scripts and plug-in assemblies (one pool per bundle version).</summary>
sealed record WorkerOptions
{
    /// <summary>The default of <see cref="MemoryLimitMb"/>.</summary>
    public const int DefaultMemoryLimitMb = 1024;

    /// <summary>Workers started as soon as a bundle version is loaded, and kept (a dead one is replaced). Default 1;
    /// 0 starts workers only when a command needs one.</summary>
    public int MinWarm { get; init; } = 1;

    /// <summary>The most workers of one bundle version. Default 4.</summary>
    public int MaxWorkers { get; init; } = 4;

    /// <summary>How many invocations one worker runs at once before the pool starts another (up to
    /// <see cref="MaxWorkers"/>; past that, the least loaded worker takes more). Default 32.</summary>
    public int InvocationsPerWorker { get; init; } = 32;

    /// <summary>How long a cancelled invocation (time limit, pipeline kill) has to answer before its worker is killed.
    /// Default 500 ms.</summary>
    public TimeSpan KillGrace { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The managed heap limit of each worker, in MiB (<c>DOTNET_GCHeapHardLimit</c>): an allocation past it is
    /// an <see cref="OutOfMemoryException"/> in the worker. Default 1024.</summary>
    public int MemoryLimitMb { get; init; } = DefaultMemoryLimitMb;

    /// <summary>How long a starting worker has to answer the hello before it counts as failed. Default 30 s.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The defaults.</summary>
    public static WorkerOptions Default { get; } = new();
}
