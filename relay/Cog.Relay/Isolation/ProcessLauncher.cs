using System.Collections.Concurrent;
using System.Diagnostics;

namespace Cog.Relay.Isolation;

/// <summary>Starts the processes of bundle code from one thread that lives as long as the relay.</summary>
/// <remarks>bubblewrap's <c>--die-with-parent</c> (<c>PR_SET_PDEATHSIG</c>) kills the sandbox when the <em>thread</em>
/// that started it ends, not the relay process: a process started from a thread-pool thread would be killed (SIGKILL)
/// as soon as the pool retires that thread, in the middle of its work. Every confined process is therefore started
/// here, and still ends with the relay.</remarks>
static class ProcessLauncher
{
    static readonly BlockingCollection<(Process Process, TaskCompletionSource Started)> Requests = [];

    static ProcessLauncher()
    {
        new Thread(Run) { IsBackground = true, Name = "Cog process launcher" }.Start();
    }

    /// <summary>Starts <paramref name="process"/> on the launcher's thread and returns once it has started.</summary>
    /// <exception cref="System.ComponentModel.Win32Exception">The process could not be started (as
    /// <see cref="Process.Start()"/>).</exception>
    public static void Start(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add((process, started));
        started.Task.GetAwaiter().GetResult();
    }

    static void Run()
    {
        foreach (var (process, started) in Requests.GetConsumingEnumerable())
        {
            try
            {
                process.Start();
                started.SetResult();
            }
#pragma warning disable CA1031 // Whatever Start threw is the caller's to see, on the caller's thread.
            catch (Exception e)
#pragma warning restore CA1031
            {
                started.SetException(e);
            }
        }
    }
}
