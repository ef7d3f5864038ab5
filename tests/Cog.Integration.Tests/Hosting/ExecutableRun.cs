using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Cog.Integration.Tests.Hosting;

/// <summary>One run of an executable (the server's or the relay's build output, started with <c>dotnet</c>, or any
/// program) with its standard output and standard error captured line by line, apart: a test waits for a line, sends a
/// signal and reads the exit code.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
sealed class ExecutableRun : IAsyncDisposable
{
    /// <summary>How long a start or a stop may take on a loaded machine.</summary>
    static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    readonly Process _process;
    readonly ConcurrentQueue<string> _output = new();
    readonly ConcurrentQueue<string> _errors = new();
    readonly List<(Func<string, bool> Matches, TaskCompletionSource Seen)> _waiting = [];
    readonly Lock _lock = new();

    ExecutableRun(Process process) => _process = process;

    /// <summary>Every line written to standard output so far.</summary>
    public IReadOnlyList<string> Output => [.. _output];

    /// <summary>Every line written to standard error so far.</summary>
    public IReadOnlyList<string> Errors => [.. _errors];

    /// <summary>Both streams, for failure messages.</summary>
    public string Transcript => $"stdout:\n{string.Join('\n', _output)}\nstderr:\n{string.Join('\n', _errors)}";

    public int ProcessId => _process.Id;

    /// <summary>Starts <c>dotnet <paramref name="assembly"/> <paramref name="arguments"/></c>.</summary>
    public static ExecutableRun Dotnet(string assembly, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string>? environment = null) =>
        Start("dotnet", [assembly, .. arguments], workingDirectory, environment);

    /// <summary>Starts <paramref name="program"/> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>,
    /// with <paramref name="environment"/> added to this process's environment.</summary>
    public static ExecutableRun Start(string program, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        // Through env --default-signal=INT (it then executes the program in the same process): a test host started in
        // the background without job control (`runner &` in a script) has SIGINT ignored, its children inherit that,
        // and .NET leaves an inherited SIGINT ignored, so the Ctrl-C a test sends would never arrive.
        var start = new ProcessStartInfo("env")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--default-signal=INT");
        start.ArgumentList.Add(program);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        var run = new ExecutableRun(new Process { StartInfo = start });
        run._process.OutputDataReceived += (_, e) => run.Add(run._output, e.Data);
        run._process.ErrorDataReceived += (_, e) => run.Add(run._errors, e.Data);
        run._process.Start();
        run._process.BeginOutputReadLine();
        run._process.BeginErrorReadLine();
        return run;
    }

    void Add(ConcurrentQueue<string> lines, string? line)
    {
        if (line is null)
            return;
        lock (_lock)
        {
            lines.Enqueue(line);
            foreach (var (matches, seen) in _waiting)
            {
                if (matches(line))
                    seen.TrySetResult();
            }
        }
    }

    /// <summary>Waits for a line on either stream matching <paramref name="matches"/> (one already written counts);
    /// fails with the transcript when the process exits first.</summary>
    public async Task WaitForLineAsync(Func<string, bool> matches, string what)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_output.Concat(_errors).Any(matches))
                return;
            _waiting.Add((matches, seen));
        }
        var exited = _process.WaitForExitAsync(TestContext.Current.CancellationToken);
        var first = await Task.WhenAny(seen.Task, exited).WaitAsync(Limit, TestContext.Current.CancellationToken);
        Assert.True(first == seen.Task, $"The process exited before {what}:\n{Transcript}");
    }

    /// <summary>Sends <paramref name="signal"/> (<c>TERM</c>, <c>INT</c>...) to <paramref name="processId"/>, this
    /// process by default.</summary>
    public void Signal(string signal, int? processId = null)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, (processId ?? _process.Id).ToString(CultureInfo.InvariantCulture)])
        {
            UseShellExecute = false,
        })!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Waits for the process to exit (and its streams to be read to the end); returns its exit code.</summary>
    public async Task<int> ExitCodeAsync()
    {
        try
        {
            await _process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(Limit, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"The process {(_process.HasExited ? $"exited ({_process.ExitCode}) but its output streams stayed open" : "did not exit")} within {Limit.TotalSeconds} s:\n{Transcript}");
        }
        // The parameterless wait also waits for the end of the redirected streams.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }
        _process.Dispose();
    }
}
