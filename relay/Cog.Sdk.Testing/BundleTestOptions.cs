using System.Collections.Immutable;
using Microsoft.Extensions.Logging;

namespace Cog.Sdk.Testing;

/// <summary>How a <see cref="BundleTestHost"/> runs its bundle.</summary>
public sealed record BundleTestOptions
{
    /// <summary>The bundle's dynamic configuration (its base layer, as <c>cogctl bundle config</c> sets it), as a
    /// command receives it: environment variables of executables, <c>Configuration</c> of scripts and plug-in types.
    /// Keys starting with <c>COG_</c> or <c>RELAY_</c> are never passed, as on a server. Default: empty.</summary>
    public IReadOnlyDictionary<string, string> Configuration { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Where the relay's and the commands' log lines go (<c>Log</c> of scripts and plug-in types is the
    /// <c>Cog.Relay.Commands</c> category). Default: nowhere.</summary>
    public ILoggerFactory? Loggers { get; init; }

    /// <summary>A folder where compiled scripts are kept between hosts and test runs (compiled once per content, as on
    /// a relay); <see langword="null"/> (the default) compiles into the host's temporary folder, removed on disposal.</summary>
    public string? ScriptCacheDirectory { get; init; }

    /// <summary>How long one pipeline may run (each command also has its manifest's <c>timeout</c>). Default 1
    /// minute.</summary>
    public TimeSpan PipelineDeadline { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The defaults.</summary>
    public static BundleTestOptions Default { get; } = new();
}
