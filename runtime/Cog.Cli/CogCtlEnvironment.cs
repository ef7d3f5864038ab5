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

    /// <summary>The clock: relative times (<c>--since 1h</c>), the progress of a long pipeline, <c>audit list --follow</c>.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>True when standard error is a terminal: <c>pipeline run</c> shows its progress there (never on standard
    /// output, and never when standard error is a file or a pipe).</summary>
    public bool ErrorIsTerminal { get; init; }

    /// <summary>The width of the terminal standard output goes to; tables are fitted to it (long cells cut with …).
    /// <see langword="null"/> when standard output is not a terminal: a script reading it gets every cell whole.</summary>
    public int? TerminalWidth { get; init; }

    /// <summary>How often <c>audit list --follow</c> asks for new records (default 2 s).</summary>
    public TimeSpan FollowInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The environment of the running process: the console, the process environment and the user's home.</summary>
    public static CogCtlEnvironment FromConsole() => new()
    {
        Output = Console.Out,
        Error = Console.Error,
        Input = Console.In,
        IsInteractive = !Console.IsInputRedirected,
        ErrorIsTerminal = !Console.IsErrorRedirected,
        TerminalWidth = Console.IsOutputRedirected ? null : ConsoleWidth(),
        ReadSecret = ConsoleSecret.Read,
        GetEnvironmentVariable = Environment.GetEnvironmentVariable,
        // $HOME first, as the original's expanduser; the profile folder when it is not set.
        HomeDirectory = Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
    };

    static int? ConsoleWidth()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
