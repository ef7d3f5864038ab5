using System.Globalization;

using Cog.Worker;

namespace Cog.Relay.Execution.Executables;

/// <summary>The messages of the executable engine (pinned by tests). Shared messages (invalid JSON, output too large,
/// an item that is not an object) are in <see cref="ExecutionErrors"/>.</summary>
static class ExecutableErrors
{
    /// <summary>The token fired: the pipeline was killed or the invocation ran past its deadline (the caller knows which).</summary>
    public const string Cancelled = "The command was stopped before it finished: it was cancelled or ran out of time.";

    /// <summary>Logged when the services endpoint is withheld from a command without network.</summary>
    public static string ServicesWithheld(string bundle) =>
        $"COG_SERVICES_ROOT and COG_SERVICE_TOKEN are not set: the bundle '{bundle}' has no network on this relay (sandbox:network_bundles), so it cannot reach the services.";

    public static string NoExecutable(string command) => $"The command '{command}' names no executable.";

    public static string NotFound(string path) => $"The executable '{path}' does not exist on this relay.";

    public static string NotExecutable(string path) => $"The file '{path}' is not executable on this relay (it needs the execute permission).";

    public static string OutsideBundle(string path) => $"The executable '{path}' is outside the bundle folder; a relative executable must stay inside it.";

    public static string CouldNotStart(string path, string reason) => $"The executable '{path}' could not be started: {reason}";

    public static string ExitCode(int code) =>
        string.Create(CultureInfo.InvariantCulture, $"The command failed with exit code {code} and wrote nothing to stderr.");

    public static string Signal(string signal, int code) =>
        string.Create(CultureInfo.InvariantCulture, $"The command was terminated by signal {signal} (exit code {code}) and wrote nothing to stderr.");

    /// <summary>Ends the part of stderr shown to the person when the rest was cut.</summary>
    public static string StderrCut(long moreBytes) =>
        string.Create(CultureInfo.InvariantCulture, $"… ({moreBytes} more bytes of stderr; see the relay's log)");

    /// <summary>Heads the relay's log entry holding a failed command's stderr.</summary>
    public static string StderrLogged(int exitCode, long totalBytes, int keptBytes) => totalBytes == keptBytes
        ? string.Create(CultureInfo.InvariantCulture, $"The command failed with exit code {exitCode}; its stderr ({totalBytes} bytes):")
        : string.Create(CultureInfo.InvariantCulture, $"The command failed with exit code {exitCode}; its stderr ({totalBytes} bytes, the first {keptBytes} kept):");
}
