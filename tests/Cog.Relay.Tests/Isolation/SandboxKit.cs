using System.Diagnostics;
using System.Text;
using Cog.Relay.Isolation;

namespace Cog.Relay.Tests.Isolation;

/// <summary>Folders of probe scripts, and a confined run of one of them.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
static class SandboxKit
{
    const UnixFileMode Everyone =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>The host as the relay sees it at start, with <paramref name="options"/>.</summary>
    public static Task<HostIsolation> HostAsync(SandboxOptions? options = null) => HostIsolation.DetectAsync(options ?? new SandboxOptions());

    /// <summary>A new folder readable by every user (as a relay's unpacked bundle folder is), holding the given files;
    /// files ending in <c>.sh</c> are executable.</summary>
    public static string Folder(params (string Name, string Content)[] files)
    {
        var folder = Directory.CreateTempSubdirectory("cog-sandbox-").FullName;
        File.SetUnixFileMode(folder, Everyone);
        foreach (var (name, content) in files)
        {
            var path = Path.Combine(folder, name);
            File.WriteAllText(path, content);
            File.SetUnixFileMode(path, name.EndsWith(".sh", StringComparison.Ordinal) ? Everyone : Everyone & ~(UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute));
        }
        return folder;
    }

    /// <summary>A bundle folder with one probe script, <c>probe.sh</c>.</summary>
    public static string Probe(string body) => Folder(("probe.sh", "#!/bin/bash\n" + body));

    /// <summary>A request for <c>probe.sh</c> in <paramref name="bundle"/>.</summary>
    public static SandboxRequest Request(string bundle, IReadOnlyDictionary<string, string>? environment = null, string bundleName = "probe",
        IReadOnlyList<string>? readOnlyPaths = null, long? memoryBytes = null) =>
        new(Path.Combine(bundle, "probe.sh"), [], environment ?? new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" }, bundleName, bundle,
            readOnlyPaths ?? [], memoryBytes);

    /// <summary>Starts <paramref name="request"/> confined, closes its stdin, and waits for it to end.</summary>
    public static async Task<Run> RunAsync(ISandbox sandbox, SandboxRequest request)
    {
        var running = Start(sandbox, request);
        return await running.EndAsync();
    }

    /// <summary>Starts <paramref name="request"/> confined and closes its stdin.</summary>
    public static Running Start(ISandbox sandbox, SandboxRequest request)
    {
        var start = sandbox.Prepare(request);
        var process = Process.Start(start.StartInfo)!;
        process.StandardInput.Close();
        return new Running(process, start.Lease);
    }

    /// <summary>Every host process whose real user id is <paramref name="userId"/>.</summary>
    public static int[] ProcessesOf(int userId)
    {
        var found = new List<int>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid))
            {
                continue;
            }
            try
            {
                var uid = File.ReadLines(Path.Combine(folder, "status")).FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
                if (uid is not null && uid.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1] == userId.ToString(System.Globalization.CultureInfo.InvariantCulture))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }
        return [.. found];
    }
}

/// <summary>A confined process: its output so far, and its end.</summary>
sealed class Running(Process process, IDisposable lease)
{
    readonly StringBuilder _errors = new();
    readonly TaskCompletionSource _errorSeen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    string? _awaited;

    public Process Process { get; } = process;

    Task<string>? _output;
    Task? _errorReader;

    /// <summary>Reads stdout and stderr in the background (once).</summary>
    void Read()
    {
        if (_output is not null)
        {
            return;
        }
        _output = Process.StandardOutput.ReadToEndAsync();
        _errorReader = Task.Run(async () =>
        {
            while (await Process.StandardError.ReadLineAsync() is { } line)
            {
                lock (_errors)
                {
                    _errors.AppendLine(line);
                    if (_awaited is not null && line.Contains(_awaited, StringComparison.Ordinal))
                    {
                        _errorSeen.TrySetResult();
                    }
                }
            }
            _errorSeen.TrySetResult();
        });
    }

    /// <summary>Waits until a stderr line contains <paramref name="text"/> (or stderr ends).</summary>
    public Task ErrorLineAsync(string text)
    {
        lock (_errors)
        {
            _awaited = text;
            if (_errors.ToString().Contains(text, StringComparison.Ordinal))
            {
                _errorSeen.TrySetResult();
            }
        }
        Read();
        return _errorSeen.Task;
    }

    /// <summary>Kills the sandbox as the executable engine does on a timeout: bwrap and its whole tree.</summary>
    public void Kill() => Process.Kill(entireProcessTree: true);

    /// <summary>Waits for the end; returns the exit code and the output; disposes the lease.</summary>
    public async Task<Run> EndAsync()
    {
        Read();
        var output = await _output!;
        await _errorReader!;
        await Process.WaitForExitAsync();
        lease.Dispose();
        var run = new Run(Process.ExitCode, output, _errors.ToString());
        Process.Dispose();
        return run;
    }
}

/// <summary>How a confined process ended.</summary>
sealed record Run(int ExitCode, string Output, string Errors)
{
    public string[] Lines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
