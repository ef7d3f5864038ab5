using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Cog.Relay.Isolation;
using Cog.Worker;

namespace Cog.Relay.Execution.Executables;

/// <summary>Runs <c>executable</c> commands as processes, with Cog 1.0's contract: the environment of
/// <see cref="ExecutableEnvironment"/>, the input item as JSON on stdin, and stdout read by <see cref="OutputParser"/>.</summary>
/// <remarks>
/// <para>Outcomes: exit code 0 gives the parsed output (or an abort when the command printed
/// <c>COGCMD_ACTION: abort</c>); any other exit code is an error whose message is stderr, trimmed and cut to what a
/// person reads (<see cref="ExecutionLimits.ShownErrorBytes"/>, <see cref="ExecutionLimits.ShownErrorLines"/>; a cut
/// message ends with <see cref="ExecutableErrors.StderrCut"/> and the whole stderr, up to
/// <see cref="ExecutionLimits.MaxErrorBytes"/>, goes to the command's log), or, when stderr is empty, a message naming
/// the exit code or the signal. Stdout over <see cref="ExecutionLimits.MaxOutputBytes"/> kills the command and fails
/// the invocation.</para>
/// <para>Every command starts through the sandbox (<see cref="ISandbox.Prepare"/>): the bundle folder read-only and its
/// working directory, a private writable <c>/tmp</c>, and exactly the environment of <see cref="ExecutableEnvironment"/>.
/// When the token fires (deadline or pipeline kill) the sandbox's process and every descendant it still has are killed
/// (with bubblewrap's pid namespace, a descendant that detached from the tree dies with the namespace), the process is
/// reaped, its user id goes back to the sandbox, and the outcome is <see cref="ExecutableErrors.Cancelled"/>.</para>
/// <para>Thread-safe: nothing is shared between invocations.</para>
/// </remarks>
/// <param name="sandbox">Where commands run.</param>
/// <param name="relayEnvironment">The relay's environment; only <see cref="ExecutableEnvironment.PassedThrough"/> is used.</param>
sealed class ExecutableEngine(ISandbox sandbox, IReadOnlyDictionary<string, string> relayEnvironment) : ICommandEngine
{
    const int ChunkSize = 16 * 1024;

    // After SIGKILL the kernel ends the process at once; this only bounds the wait if something is badly wrong.
    static readonly TimeSpan ReapTimeout = TimeSpan.FromSeconds(10);

    static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    readonly ISandbox _sandbox = sandbox ?? throw new ArgumentNullException(nameof(sandbox));
    readonly IReadOnlyDictionary<string, string> _relayEnvironment = relayEnvironment ?? throw new ArgumentNullException(nameof(relayEnvironment));

    /// <summary>An engine that passes the relay process's own <see cref="ExecutableEnvironment.PassedThrough"/> variables.</summary>
    public ExecutableEngine(ISandbox sandbox)
        : this(sandbox, ExecutableEnvironment.ReadRelayEnvironment())
    {
    }

    /// <inheritdoc/>
    public async Task<ExecutionOutcome> RunAsync(CommandInvocation invocation, ExecutionLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        ArgumentNullException.ThrowIfNull(limits);
        if (cancellationToken.IsCancellationRequested)
        {
            return ExecutionOutcome.Error(ExecutableErrors.Cancelled);
        }
        var target = invocation.Command.Target;
        if (string.IsNullOrWhiteSpace(target))
        {
            return ExecutionOutcome.Error(ExecutableErrors.NoExecutable(invocation.Command.Name));
        }
        if (!ExecutablePath.TryResolve(target, invocation.BundleDirectory, out var path, out var error))
        {
            return ExecutionOutcome.Error(error);
        }

        ConfinedStart confined;
        try
        {
            // Cog 1.0: an absolute executable is installed on the relay host; that file alone is made visible.
            IReadOnlyList<string> installed = Path.IsPathFullyQualified(target) ? [path] : [];
            var visible = ExecutableEnvironment.WithReachableServices(invocation, _sandbox.HasNetwork(invocation.Context.Bundle));
            confined = _sandbox.Prepare(new SandboxRequest(path, [], ExecutableEnvironment.Build(visible, _relayEnvironment),
                invocation.Context.Bundle, invocation.BundleDirectory, installed));
        }
        catch (InvalidOperationException e)
        {
            // Every user id of the sandbox is in use.
            return ExecutionOutcome.Error(ExecutableErrors.CouldNotStart(target, e.Message));
        }
        using var lease = confined.Lease;
        using var process = new Process { StartInfo = confined.StartInfo };
        try
        {
            ProcessLauncher.Start(process);
        }
        catch (Win32Exception e)
        {
            // The checks above can race with the file system, and exec can still refuse (no shebang, noexec mount...).
            return ExecutionOutcome.Error(ExecutableErrors.CouldNotStart(target, e.Message));
        }

        var stdin = WriteInputAsync(process, invocation.Context.Input, cancellationToken);
        var stdout = ReadAsync(process.StandardOutput.BaseStream, limits.MaxOutputBytes, process, cancellationToken);
        var stderr = ReadAsync(process.StandardError.BaseStream, limits.MaxErrorBytes, killAtLimit: null, cancellationToken);
        Captured output, errors;
        using (cancellationToken.Register(static p => Kill((Process)p!), process))
        {
            try
            {
                // WaitAsync: never wait for a pipe that a detached descendant keeps open past the deadline.
                output = await stdout.WaitAsync(cancellationToken);
                errors = await stderr.WaitAsync(cancellationToken);
                await process.WaitForExitAsync(cancellationToken);
                await stdin.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Kill(process);
                await ReapAsync(process);
                return ExecutionOutcome.Error(ExecutableErrors.Cancelled);
            }
        }
        return Conclude(invocation, limits, output, errors, process.ExitCode);
    }

    /// <summary>The outcome of a Cog 1.0 executable that ended with <paramref name="exitCode"/> after writing
    /// <paramref name="output"/> to stdout and <paramref name="errors"/> to stderr: the one reading of that contract,
    /// whether the command ran as a process here or in a container.</summary>
    internal static ExecutionOutcome Conclude(CommandInvocation invocation, ExecutionLimits limits, Captured output, Captured errors, int exitCode)
    {
        if (output.Overflowed)
        {
            return ExecutionOutcome.Error(ExecutionErrors.OutputTooLarge(limits.MaxOutputBytes));
        }

        // Cog 1.0 reads the protocol lines (and logs) whatever the exit code; only then does the status decide.
        var parsed = OutputParser.Parse(Decode(output), invocation.Context.Log);
        if (exitCode != 0)
        {
            var message = Decode(errors).Trim();
            if (message.Length == 0)
            {
                return ExecutionOutcome.Error(DescribeExit(exitCode));
            }
            var (shown, shownBytes, whole) = Shown(message, limits.ShownErrorBytes, limits.ShownErrorLines);
            if (whole && !errors.Overflowed)
            {
                return ExecutionOutcome.Error(message);
            }
            invocation.Context.Log.Warn(ExecutableErrors.StderrLogged(exitCode, errors.Total, errors.Bytes.Length) + "\n" + message);
            return ExecutionOutcome.Error(shown + "\n" + ExecutableErrors.StderrCut(errors.Total - shownBytes));
        }
        return OutputParser.ToOutcome(parsed);
    }

    /// <summary>The beginning of <paramref name="text"/> a person reads: whole lines, at most
    /// <paramref name="maxLines"/> of them and <paramref name="maxBytes"/> UTF-8 bytes (a first line longer than that
    /// is cut after its last whole character that fits); how many UTF-8 bytes of the text that is, counting the line
    /// break after the last line shown; and whether it is the whole text.</summary>
    static (string Shown, int Bytes, bool Whole) Shown(string text, int maxBytes, int maxLines)
    {
        var (end, bytes, lines) = (0, 0, 0);
        while (end < text.Length && lines < maxLines)
        {
            var newline = text.IndexOf('\n', end);
            var next = newline < 0 ? text.Length : newline + 1;
            var lineBytes = Utf8.GetByteCount(text.AsSpan(end, next - end));
            if (bytes + lineBytes <= maxBytes)
            {
                (end, bytes, lines) = (next, bytes + lineBytes, lines + 1);
                continue;
            }
            if (lines == 0)
            {
                foreach (var rune in text.AsSpan(end, next - end).EnumerateRunes())
                {
                    if (bytes + rune.Utf8SequenceLength > maxBytes)
                    {
                        break;
                    }
                    (end, bytes) = (end + rune.Utf16SequenceLength, bytes + rune.Utf8SequenceLength);
                }
            }
            break;
        }
        return (text[..end].TrimEnd('\n'), bytes, end == text.Length);
    }

    static async Task WriteInputAsync(Process process, JsonElement input, CancellationToken cancellationToken)
    {
        var stream = process.StandardInput.BaseStream;
        try
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(input);
            await stream.WriteAsync(bytes, cancellationToken);
            // A final newline lets `read line` in shell scripts succeed.
            await stream.WriteAsync("\n"u8.ToArray(), cancellationToken);
            await stream.FlushAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The command need not read its input: it may exit (closing the pipe) before we are done.
        }
        finally
        {
            try
            {
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // Closing flushes; the pipe may already be broken. Nothing more to say to the command.
            }
        }
    }

    /// <summary>Reads <paramref name="stream"/> to its end, keeping at most <paramref name="limit"/> bytes. With
    /// <paramref name="killAtLimit"/>, going over the limit kills that process and stops reading; otherwise the rest is
    /// read and dropped, so that the command never blocks on a full pipe.</summary>
    static async Task<Captured> ReadAsync(Stream stream, int limit, Process? killAtLimit, CancellationToken cancellationToken)
    {
        var kept = new MemoryStream();
        var buffer = new byte[ChunkSize];
        var overflowed = false;
        long total = 0;
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                total += read;
                var room = limit - (int)kept.Length;
                if (read <= room)
                {
                    kept.Write(buffer, 0, read);
                    continue;
                }
                kept.Write(buffer, 0, Math.Max(room, 0));
                overflowed = true;
                if (killAtLimit is not null)
                {
                    Kill(killAtLimit);
                    break;
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The pipe broke: the process is gone. What was read so far is what it wrote.
        }
        return new Captured(kept.GetBuffer().AsMemory(0, (int)kept.Length), overflowed, total);
    }

    static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Already exited (or never started): nothing left to kill.
        }
    }

    static async Task ReapAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(ReapTimeout);
        try
        {
            // Waiting for the exit lets the runtime reap the child: no zombie stays behind.
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // SIGKILL was sent; the runtime reaps the child whenever it finally ends.
        }
    }

    static string Decode(Captured captured)
    {
        var text = Utf8.GetString(captured.Bytes.Span);
        // A cut can split a UTF-8 sequence; drop the replacement character that leaves at the end.
        return captured.Overflowed ? text.TrimEnd('\uFFFD') : text;
    }

    static string DescribeExit(int exitCode)
    {
        // .NET reports a process ended by signal N as exit code 128 + N, like the shells do.
        if (!OperatingSystem.IsWindows() && exitCode > 128 && exitCode < 128 + 32)
        {
            return ExecutableErrors.Signal(SignalName(exitCode - 128), exitCode);
        }
        return ExecutableErrors.ExitCode(exitCode);
    }

    static string SignalName(int signal) => signal switch
    {
        1 => "SIGHUP",
        2 => "SIGINT",
        3 => "SIGQUIT",
        4 => "SIGILL",
        5 => "SIGTRAP",
        6 => "SIGABRT",
        8 => "SIGFPE",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        13 => "SIGPIPE",
        14 => "SIGALRM",
        15 => "SIGTERM",
        // The other numbers differ between Linux and the BSDs.
        _ => signal.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>What was kept of a stream, whether more came than was kept, and how many bytes came in all.</summary>
    internal readonly record struct Captured(ReadOnlyMemory<byte> Bytes, bool Overflowed, long Total);
}
