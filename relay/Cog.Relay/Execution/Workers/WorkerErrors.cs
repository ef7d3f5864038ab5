using System.Globalization;

namespace Cog.Relay.Execution.Workers;

/// <summary>The messages of invocations whose worker failed (pinned by tests).</summary>
static class WorkerErrors
{
    /// <summary>The answer to every invocation a worker was running when it died.</summary>
    public static string Crashed(string reason) => $"The command crashed: {reason}";

    /// <summary>The worker overflowed its stack (unbounded recursion).</summary>
    public const string StackOverflow = "stack overflow";

    /// <summary>An exception nobody caught (an <c>async void</c> method, a thread of the command's own) ended the worker.</summary>
    public static string ExceptionEscaped(string exception) => $"an exception escaped: {exception}";

    /// <summary>The runtime ended the worker (<c>Environment.FailFast</c>).</summary>
    public static string Terminated(string message) => $"the worker was terminated: {message}";

    /// <summary>The worker exited by itself (<c>Environment.Exit</c>).</summary>
    public static string Exited(int code) => string.Create(CultureInfo.InvariantCulture, $"the worker exited with code {code}");

    /// <summary>A signal ended the worker.</summary>
    public static string Signalled(int signal) => string.Create(CultureInfo.InvariantCulture, $"killed by signal {signal}");

    /// <summary>Another invocation in the same worker did not stop when cancelled, so the worker was killed.</summary>
    public static string RanAway(string command) =>
        $"another command in the same worker ({command}) did not stop when its time ran out, so the worker was killed";

    /// <summary>The worker wrote something that is not a channel frame (bundle code wrote to the channel).</summary>
    public static string BrokeChannel(string detail) => $"the worker broke its channel to the relay ({detail}), so it was killed";

    /// <summary>The relay stopped the worker (the relay is stopping).</summary>
    public const string Stopped = "the worker was stopped";

    /// <summary>A started worker did not answer the relay's hello in time.</summary>
    public static string NoAnswer(TimeSpan timeout) =>
        string.Create(CultureInfo.InvariantCulture, $"the worker did not answer within {timeout.TotalSeconds} s");

    /// <summary>No worker could be started for the bundle version.</summary>
    public static string StartFailed(string bundle, string reason) => $"No worker could be started for the bundle '{bundle}': {reason}";

    /// <summary>The bundle version has no worker pool (it is not loaded on this relay).</summary>
    public static string NotLoaded(string bundle) => $"The bundle '{bundle}' is not loaded on this relay.";
}
