using System.ComponentModel;
using System.Diagnostics;
using System.IO.Pipes;
using Cog.Relay.Isolation;
using Cog.Worker;

namespace Cog.Relay.Execution.Workers;

/// <summary>The far end of a <see cref="WorkerConnection"/>: a worker's channel streams, its stderr, and its life.</summary>
interface IWorkerProcess : IDisposable
{
    /// <summary>The process id (for the log).</summary>
    int Id { get; }

    /// <summary>The worker's stdin: the relay writes frames here.</summary>
    Stream Input { get; }

    /// <summary>The worker's stdout: the relay reads frames here.</summary>
    Stream Output { get; }

    /// <summary>The worker's stderr.</summary>
    StreamReader Errors { get; }

    /// <summary>The exit code, once <see cref="WaitForExitAsync"/> has completed (128 + n for signal n).</summary>
    int ExitCode { get; }

    /// <summary>Completes when the worker has exited.</summary>
    Task WaitForExitAsync();

    /// <summary>Ends the worker now (and any process it started); nothing when it has already exited.</summary>
    void Kill();
}

/// <summary>A worker process started through an <see cref="ISandbox"/>: the only way bundle code is started in
/// production.</summary>
sealed class SandboxedWorkerProcess : IWorkerProcess
{
    readonly Process _process;
    readonly IDisposable _lease;

    SandboxedWorkerProcess(Process process, IDisposable lease)
    {
        _process = process;
        _lease = lease;
        Id = process.Id;
    }

    public int Id { get; }

    public Stream Input => _process.StandardInput.BaseStream;

    public Stream Output => _process.StandardOutput.BaseStream;

    public StreamReader Errors => _process.StandardError;

    public int ExitCode => _process.ExitCode;

    /// <summary>Prepares the process with <paramref name="sandbox"/> and starts it.</summary>
    /// <exception cref="WorkerStartException">The process could not be started.</exception>
    public static SandboxedWorkerProcess Start(ISandbox sandbox, SandboxRequest request)
    {
        var prepared = sandbox.Prepare(request);
        var process = new Process { StartInfo = prepared.StartInfo };
        try
        {
            ProcessLauncher.Start(process);
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException)
        {
            process.Dispose();
            prepared.Lease.Dispose();
            throw new WorkerStartException(e.Message);
        }
        return new SandboxedWorkerProcess(process, prepared.Lease);
    }

    public Task WaitForExitAsync() => _process.WaitForExitAsync();

    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Already exited.
        }
    }

    public void Dispose()
    {
        _process.Dispose();
        _lease.Dispose();
    }
}

/// <summary>
/// A worker's frame loop (<see cref="WorkerHost"/>) run inside the relay's own process over a pipe pair: the channel
/// without a process, for tests of the channel.
/// </summary>
/// <remarks>Gives no isolation at all — bundle code runs in the relay, and <see cref="Kill"/> only closes the channel
/// (it cannot stop a busy loop). Never used by a relay in production.</remarks>
sealed class InProcessWorker : IWorkerProcess
{
    readonly AnonymousPipeServerStream _toWorker = new(PipeDirection.Out);
    readonly AnonymousPipeServerStream _fromWorker = new(PipeDirection.In);
    readonly AnonymousPipeClientStream _workerIn;
    readonly AnonymousPipeClientStream _workerOut;
    readonly Task _host;

    InProcessWorker()
    {
        _workerIn = new AnonymousPipeClientStream(PipeDirection.In, _toWorker.ClientSafePipeHandle);
        _workerOut = new AnonymousPipeClientStream(PipeDirection.Out, _fromWorker.ClientSafePipeHandle);
        _host = RunAsync();
    }

    public int Id => Environment.ProcessId;

    public Stream Input => _toWorker;

    public Stream Output => _fromWorker;

    public StreamReader Errors => StreamReader.Null;

    public int ExitCode => _host.IsFaulted ? 1 : 0;

    /// <summary>Starts a frame loop; <paramref name="request"/> is ignored (the loop learns its bundle from the hello).</summary>
    public static InProcessWorker Start(SandboxRequest request) => new();

    public Task WaitForExitAsync() => _host.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);

    public void Kill() => _toWorker.Dispose();

    public void Dispose()
    {
        _toWorker.Dispose();
        _fromWorker.Dispose();
    }

    async Task RunAsync()
    {
        await Task.Yield();
        try
        {
            await new WorkerHost(_workerIn, _workerOut).RunAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            // The relay's reader sees the end of the channel.
            await _workerOut.DisposeAsync().ConfigureAwait(false);
            await _workerIn.DisposeAsync().ConfigureAwait(false);
        }
    }
}
