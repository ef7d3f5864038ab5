using System.Collections.Concurrent;
using System.Diagnostics;

namespace Cog.Integration.Tests.Support;

/// <summary>The relay executable (relay/Cog.Relay's build output) run as a separate process with <c>dotnet</c>, so a
/// test can kill it (SIGKILL) or freeze it (SIGSTOP) in the middle of a command.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
sealed class RelayProcess : IAsyncDisposable
{
    readonly Process _process;
    readonly ConcurrentQueue<string> _output = new();
    bool _suspended;

    RelayProcess(string id, Process process)
    {
        Id = id;
        _process = process;
    }

    public string Id { get; }

    /// <summary>Everything the relay printed (its console log), for failure messages.</summary>
    public string Output => string.Join("\n", _output);

    public static RelayProcess Start(string id, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(RelayAssembly());
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        var process = new Process { StartInfo = start };
        var relay = new RelayProcess(id, process);
        process.OutputDataReceived += (_, e) => relay.Add(e.Data);
        process.ErrorDataReceived += (_, e) => relay.Add(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return relay;
    }

    void Add(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }

    /// <summary>The relay's build of the same configuration as this test assembly.</summary>
    internal static string RelayAssembly()
    {
        // .../tests/Cog.Integration.Tests/bin/<configuration>/<tfm>/
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = output.Name;
        var configuration = output.Parent!.Name;
        var path = Path.Combine(Repository.Root(), "relay", "Cog.Relay", "bin", configuration, framework, "Cog.Relay.dll");
        Assert.True(File.Exists(path), $"The relay executable was not built: {path}");
        return path;
    }

    /// <summary>Kills the process with SIGKILL: no clean stop, no offline status (the broker sends the last will).</summary>
    public async Task KillAsync()
    {
        Resume();
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Freezes the process (SIGSTOP): its connection stays open, but it answers nothing.</summary>
    public void Suspend()
    {
        Signal("STOP");
        _suspended = true;
    }

    /// <summary>Lets a frozen process run again (SIGCONT).</summary>
    public void Resume()
    {
        if (_suspended && !_process.HasExited)
        {
            Signal("CONT");
        }
        _suspended = false;
    }

    void Signal(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            UseShellExecute = false,
        })!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }
}
