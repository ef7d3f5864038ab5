using System.Diagnostics;
using Cog.Relay.Isolation;
using static Cog.Relay.Tests.Isolation.SandboxKit;

namespace Cog.Relay.Tests.Isolation;

/// <summary>A confined process lives as long as its work, not as long as the thread that asked for it: bubblewrap's
/// <c>--die-with-parent</c> signals when the starting <em>thread</em> ends, and the relay's threads come and go.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ProcessLauncherTests
{
    [Fact]
    public async Task A_sandboxed_process_outlives_the_thread_that_started_it()
    {
        var host = await HostAsync();
        Assert.True(host.BubblewrapUsable, host.BubblewrapProblem);
        var sandbox = Sandbox.Create(new SandboxOptions(), host);
        var bundle = Probe("sleep 30\n");
        try
        {
            var start = sandbox.Prepare(Request(bundle));
            using var process = new Process { StartInfo = start.StartInfo };
            // A thread that starts the process and ends at once, as a retired thread-pool thread does.
            var starter = new Thread(() => ProcessLauncher.Start(process));
            starter.Start();
            starter.Join();

            // bwrap's death signal would kill it within moments of the thread's end.
            var ended = await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken)
                .ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default);
            Assert.False(ended, $"the sandboxed process ended (exit code {(process.HasExited ? process.ExitCode : 0)}) when the thread that started it did");
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
            start.Lease.Dispose();
        }
        finally
        {
            Directory.Delete(bundle, recursive: true);
        }
    }
}
