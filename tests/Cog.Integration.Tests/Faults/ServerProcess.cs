using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Cog.Testing;

namespace Cog.Integration.Tests.Faults;

/// <summary>
/// The <c>cog</c> executable (runtime/Cog.Server's build output, run with <c>dotnet</c>, or another build of it, such as
/// the Debian package's) run as a child process, as an operator runs it: settings as <c>Cog__Section__Key</c> environment variables, its console captured. It can be killed
/// (SIGKILL) and started again with the same settings (the same data directory, database and port), and its resident
/// memory read, for the scenarios that bring it down or feed it bad input.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
sealed class ServerProcess : IAsyncDisposable
{
    /// <summary>How long a start may take on a loaded machine (migrations, the broker connection, the spool replay).</summary>
    static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(90);

    /// <summary>What the server prints once it accepts work (<c>Welcome</c>).</summary>
    const string RunningLine = "is running: REST API";

    readonly IReadOnlyDictionary<string, string> _settings;
    readonly string _workingDirectory;
    readonly string? _executable;
    readonly ConcurrentQueue<string> _output = new();
    Process? _process;
    int _starts;

    /// <summary>Prepares a server with <paramref name="settings"/> (keys as in the configuration, <c>Api:Urls</c>), run
    /// in <paramref name="workingDirectory"/>; <see cref="StartAsync"/> starts it.</summary>
    /// <param name="executable">The server's executable; by default the build output's <c>cog.dll</c> on
    /// <c>dotnet</c>.</param>
    public ServerProcess(IReadOnlyDictionary<string, string> settings, string workingDirectory, string? executable = null)
    {
        _settings = settings;
        _workingDirectory = workingDirectory;
        _executable = executable;
    }

    /// <summary>The server's API address (its <c>Api:Urls</c> setting), with a final slash.</summary>
    public Uri ApiUrl => new(_settings["Api:Urls"].TrimEnd('/') + "/");

    /// <summary>Everything every start of the server printed (its console log), each start headed by a line.</summary>
    public string Output => string.Join("\n", _output);

    /// <summary>Starts the server and waits until it accepts work; fails with its output when it exits or does not get
    /// there in time.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Assert.True(_process is null || _process.HasExited, "The server is running.");
        _process?.Dispose();
        var start = new ProcessStartInfo(_executable ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _workingDirectory,
        };
        if (_executable is null)
            start.ArgumentList.Add(ServerAssembly());
        foreach (var (key, value) in _settings)
            start.Environment["Cog__" + key.Replace(":", "__", StringComparison.Ordinal)] = value;
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Add(e.Data, running);
        process.ErrorDataReceived += (_, e) => Add(e.Data, null);
        process.Exited += (_, _) => running.TrySetException(new InvalidOperationException("The server exited."));
        _output.Enqueue($"---- start {++_starts}");
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        try
        {
            await running.Task.WaitAsync(StartLimit, cancellationToken);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            Assert.Fail($"The server did not start ({e.Message}):\n{Output}");
        }
    }

    void Add(string? line, TaskCompletionSource? running)
    {
        if (line is null)
            return;
        _output.Enqueue(line);
        if (running is not null && line.Contains(RunningLine, StringComparison.Ordinal))
            running.TrySetResult();
    }

    /// <summary>Kills the server with SIGKILL: no clean stop, whatever it was doing is cut off.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
    }

    /// <summary>The server's resident memory (<c>VmRSS</c> of <c>/proc/PID/status</c>), in bytes.</summary>
    public long ResidentBytes()
    {
        Assert.True(_process is { HasExited: false }, "The server is not running.");
        foreach (var line in File.ReadLines($"/proc/{_process!.Id.ToString(CultureInfo.InvariantCulture)}/status"))
        {
            // "VmRSS:	  123456 kB"
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }
        throw new InvalidOperationException("No VmRSS line in /proc/PID/status.");
    }

    /// <summary>The server's build of the same configuration as this test assembly.</summary>
    internal static string ServerAssembly()
    {
        // .../tests/Cog.Integration.Tests/bin/<configuration>/<tfm>/
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var path = Path.Combine(RepositoryPaths.Root, "runtime", "Cog.Server", "bin", output.Parent!.Name, output.Name, "cog.dll");
        Assert.True(File.Exists(path), $"The server executable was not built: {path}");
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }
}
