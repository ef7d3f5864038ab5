using System.Collections.Immutable;

namespace Cog.Relay.Isolation;

/// <summary>How the relay confines bundle code: the limits of every confined process, the user ids it may use, which
/// bundles may reach the network, and whether a missing mechanism stops the relay.</summary>
sealed record SandboxOptions
{
    /// <summary>The default first user id of the range: high enough to collide with no distribution's or
    /// container runtime's allocation, below 2^31 (some tools treat larger ids as negative).</summary>
    public const int DefaultFirstUserId = 2_000_000_000;

    /// <summary>Refuse to start when a confinement mechanism is missing (production), instead of running with what the
    /// host gives and saying so (default <see langword="false"/>).</summary>
    public bool Require { get; init; }

    /// <summary>The bundles whose commands may use the network (by bundle name); every other bundle runs in a network
    /// namespace of its own with only a loopback interface.</summary>
    public ImmutableHashSet<string> NetworkBundles { get; init; } = ImmutableHashSet<string>.Empty;

    /// <summary>Host folders a bundle's commands may write to, by bundle name (a Cog 1.0 executable that keeps state or
    /// logs on the relay host); mounted read-write at the same path. Every other path is read-only or invisible.</summary>
    public ImmutableDictionary<string, ImmutableArray<string>> WritableFolders { get; init; } =
        ImmutableDictionary<string, ImmutableArray<string>>.Empty;

    /// <summary>The first user id (and group id) confined processes run under.</summary>
    public int FirstUserId { get; init; } = DefaultFirstUserId;

    /// <summary>How many user ids the range has: at most that many confined processes run at once.</summary>
    public int UserIdCount { get; init; } = 1024;

    /// <summary>The data-segment limit of a confined process (<c>RLIMIT_DATA</c>: its heap and private writable
    /// mappings), in bytes. Default 1 GiB.</summary>
    public long MemoryBytes { get; init; } = 1L << 30;

    /// <summary>The CPU time a confined process may use, in seconds (<c>RLIMIT_CPU</c>): a backstop behind the
    /// command timeouts, for a worker that serves many invocations. Default 1 hour.</summary>
    public int CpuSeconds { get; init; } = 3600;

    /// <summary>How many processes and threads a confined process's user may have (<c>RLIMIT_NPROC</c>; every process
    /// has a user of its own, so this bounds a fork loop; threads count too). Default 512.</summary>
    public int Processes { get; init; } = 512;

    /// <summary>How many files a confined process may have open (<c>RLIMIT_NOFILE</c>). Default 1024.</summary>
    public int OpenFiles { get; init; } = 1024;

    /// <summary>The Docker Engine API socket (Docker, or Podman's <c>podman system service</c>) that the commands of
    /// Docker bundles run on, or <see langword="null"/>: then the relay refuses Docker bundles.</summary>
    public string? ContainerEngine { get; init; }

    /// <summary>How many CPUs one container may use. Default 1.</summary>
    public int ContainerCpus { get; init; } = 1;

    /// <summary>Files that must stay hidden even when they lie inside a folder a process is given read-only: the
    /// relay's configuration file and token file. Each is covered with an empty file.</summary>
    public ImmutableArray<string> HiddenFiles { get; init; } = [];
}
