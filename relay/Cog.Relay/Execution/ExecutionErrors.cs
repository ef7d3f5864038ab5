using System.Globalization;

namespace Cog.Relay.Execution;

/// <summary>The messages a relay reports for failed invocations (pinned by tests).</summary>
static class ExecutionErrors
{
    /// <summary>Cog 1.0's message for output after a <c>JSON</c> line that does not parse.</summary>
    public const string InvalidJson = "Command returned invalid JSON.";

    public static string OutputTooLarge(int limit) =>
        string.Create(CultureInfo.InvariantCulture, $"Command output exceeded the limit of {limit} bytes.");

    public static string ItemNotAnObject(int index, string kind) =>
        string.Create(CultureInfo.InvariantCulture, $"Output item {index} is {kind}, but every output item must be a JSON object.");

    public static string Threw(string exceptionType, string message) => $"The command failed: {exceptionType}: {message}";
}
