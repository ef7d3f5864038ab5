namespace Cog.Cli;

/// <summary>
/// Everything cogctl takes from the world outside its arguments: where it writes, what it reads, the environment
/// variables and home folder it consults, and how it reaches the server. Tests build one with a temporary home and
/// loopback server; <see cref="FromConsole"/> is the real process's.
/// </summary>
public sealed class CogCtlEnvironment
{
    /// <summary>Standard output: tables, <c>--json</c> documents.</summary>
    public required TextWriter Output { get; init; }

    /// <summary>Standard error: <c>Error: …</c> lines, prompts, <c>--verbose</c> traces.</summary>
    public required TextWriter Error { get; init; }

    /// <summary>Standard input (a manifest given as <c>-</c>, a password with <c>--password-stdin</c>, answers).</summary>
    public TextReader Input { get; init; } = TextReader.Null;

    /// <summary>True when a person sits at a terminal: prompts and confirmations are allowed.</summary>
    public bool IsInteractive { get; init; }

    /// <summary>Reads a secret without echo after showing the prompt; only called when <see cref="IsInteractive"/>.
    /// The default reads a line of <see cref="Input"/>.</summary>
    public Func<string, string?>? ReadSecret { get; init; }

    /// <summary>Looks up an environment variable (<c>COGCTL_CONFIG_FILE</c>, <c>COGCTL_DEFAULT_PROFILE</c>).</summary>
    public Func<string, string?> GetEnvironmentVariable { get; init; } = _ => null;

    /// <summary>The home folder: <c>~</c> in paths and the default configuration file <c>~/.cogctl</c>.</summary>
    public required string HomeDirectory { get; init; }

    /// <summary>How long one HTTP request may take before cogctl gives up (default 60 s).</summary>
    public TimeSpan HttpTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The environment of the running process: the console, the process environment and the user's home.</summary>
    public static CogCtlEnvironment FromConsole() => new()
    {
        Output = Console.Out,
        Error = Console.Error,
        Input = Console.In,
        IsInteractive = !Console.IsInputRedirected,
        ReadSecret = ConsoleSecret.Read,
        GetEnvironmentVariable = Environment.GetEnvironmentVariable,
        // $HOME first, as the original's expanduser; the profile folder when it is not set.
        HomeDirectory = Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
    };
}
