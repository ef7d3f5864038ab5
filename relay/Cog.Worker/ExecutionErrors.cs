using System.Globalization;

namespace Cog.Worker;

/// <summary>The messages of a failed command, the same for every kind of command (pinned by tests).</summary>
static class ExecutionErrors
{
    /// <summary>Cog 1.0's message for output after a <c>JSON</c> line that does not parse.</summary>
    public const string InvalidJson = "Command returned invalid JSON.";

    public static string OutputTooLarge(int limit) =>
        string.Create(CultureInfo.InvariantCulture, $"Command output exceeded the limit of {limit} bytes.");

    public static string ItemNotAnObject(int index, string kind) =>
        string.Create(CultureInfo.InvariantCulture, $"Output item {index} is {kind}, but every output item must be a JSON object.");

    /// <summary>The invocation's token fired (deadline or <c>pipeline kill</c>) and the command stopped. The relay
    /// answers with the more precise timeout or cancel message.</summary>
    public const string Cancelled = "The command was cancelled before it finished.";

    /// <summary>The command ran out of memory: its worker's heap limit (the relay's memory setting) was reached, and the
    /// worker is replaced.</summary>
    public const string OutOfMemory = "The command ran out of memory: it needed more than its worker's memory limit.";

    public static string Threw(string exceptionType, string message) => $"The command failed: {exceptionType}: {message}";
}
