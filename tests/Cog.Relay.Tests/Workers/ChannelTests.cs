using System.Buffers.Binary;
using System.IO.Pipes;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Cog.Relay.Execution;
using Cog.Relay.Execution.Scripts;
using Cog.Relay.Execution.Workers;
using Cog.Relay.Isolation;
using Cog.Relay.Tests.Execution.Assemblies;
using Cog.Testing;
using Cog.Worker;
using Cog.Worker.Protocol;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cog.Relay.Tests.Workers;

/// <summary>The channel between the relay and a worker: its framing, its messages, and the worker's frame loop run
/// inside the test process over a pipe pair (the way a benchmark runs it without a process).</summary>
public sealed class ChannelTests
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_message_round_trips_as_one_length_prefixed_json_frame()
    {
        using var stream = new MemoryStream();

        await Frames.WriteAsync(stream, new CancelMessage(7), Cancel);

        var bytes = stream.ToArray();
        Assert.Equal(bytes.Length - 4, BinaryPrimitives.ReadInt32BigEndian(bytes));
        Assert.Equal("""{"type":"cancel","id":7}""", Encoding.UTF8.GetString(bytes, 4, bytes.Length - 4));
        stream.Position = 0;
        Assert.Equal(new CancelMessage(7), await Frames.ReadAsync(stream, Cancel));
        Assert.Null(await Frames.ReadAsync(stream, Cancel));
    }

    [Fact]
    public async Task Messages_queued_together_leave_the_worker_in_one_write()
    {
        var outbox = Channel.CreateUnbounded<ChannelMessage>();
        for (var id = 1; id <= 3; id++)
        {
            outbox.Writer.TryWrite(new CancelMessage(id));
        }
        outbox.Writer.Complete();
        using var output = new CountingStream();

        await WorkerHost.WriteAllAsync(outbox.Reader, output, Cancel);

        Assert.Equal(1, output.Writes);
        output.Position = 0;
        for (var id = 1; id <= 3; id++)
        {
            Assert.Equal(new CancelMessage(id), await Frames.ReadAsync(output, Cancel));
        }
        Assert.Null(await Frames.ReadAsync(output, Cancel));
    }

    [Fact]
    public async Task A_message_written_to_an_empty_outbox_is_sent_at_once()
    {
        var outbox = Channel.CreateUnbounded<ChannelMessage>();
        using var output = new CountingStream();
        var pump = WorkerHost.WriteAllAsync(outbox.Reader, output, Cancel);

        outbox.Writer.TryWrite(new CancelMessage(1));

        // The outbox stays open: the frame must not wait in the buffer for a next message.
        await Eventually.TrueAsync(() => output.Writes == 1, "the frame to be written");
        outbox.Writer.Complete();
        await pump;
        output.Position = 0;
        Assert.Equal(new CancelMessage(1), await Frames.ReadAsync(output, Cancel));
    }

    [Fact]
    public async Task The_relay_reads_the_frames_a_worker_sent_together_in_one_read()
    {
        using var frames = new CountingStream();
        await Frames.WriteAsync(frames, new ReadyMessage(Frames.ProtocolVersion, 1), Cancel);
        await Frames.WriteAsync(frames, new LogMessage(1, ChannelCommandLog.InfoLevel, "a"), Cancel);
        await Frames.WriteAsync(frames, new LogMessage(1, ChannelCommandLog.InfoLevel, "b"), Cancel);
        frames.Position = 0;

        var connection = await WorkerConnection.StartAsync(_ => new RecordedWorker(frames),
            new SandboxRequest("worker", [], new Dictionary<string, string>(), "b", "/", []),
            new HelloMessage(Frames.ProtocolVersion, "b", "/", null), TimeSpan.FromSeconds(30), NullLogger.Instance, TimeProvider.System);
        await connection.Exited.WaitAsync(Cancel);

        // One read takes the three frames (not a read per header and per body); the next one finds the end.
        Assert.Equal(2, frames.Reads);
    }

    [Theory]
    [InlineData(new byte[] { 0x68, 0x65, 0x6c, 0x6c, 0x6f }, "Malformed channel frame: a frame of 1751477356 bytes (at most 67108864)")]
    [InlineData(new byte[] { 0, 0, 0, 0 }, "Malformed channel frame: a frame of 0 bytes (at most 67108864)")]
    [InlineData(new byte[] { 0, 0 }, "Malformed channel frame: the stream ended inside a frame header")]
    [InlineData(new byte[] { 0, 0, 0, 9, (byte)'{' }, "Malformed channel frame: the stream ended inside a frame")]
    public async Task A_malformed_frame_is_a_channel_error(byte[] bytes, string message)
    {
        using var stream = new MemoryStream(bytes);

        var error = await Assert.ThrowsAsync<ChannelException>(() => Frames.ReadAsync(stream, Cancel).AsTask());

        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("""{"type":"shout","id":1}""")]
    [InlineData("""{"type":"cancel"}""")]
    [InlineData("""[1,2]""")]
    public async Task Json_that_is_not_a_known_message_is_a_channel_error(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var frame = new byte[4 + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, body.Length);
        body.CopyTo(frame, 4);
        using var stream = new MemoryStream(frame);

        var error = await Assert.ThrowsAsync<ChannelException>(() => Frames.ReadAsync(stream, Cancel).AsTask());

        Assert.StartsWith("Malformed channel frame: a frame that is not a channel message: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_worker_host_runs_over_any_pair_of_streams()
    {
        using var toWorker = new AnonymousPipeServerStream(PipeDirection.Out);
        using var workerIn = new AnonymousPipeClientStream(PipeDirection.In, toWorker.ClientSafePipeHandle);
        using var fromWorker = new AnonymousPipeServerStream(PipeDirection.In);
        using var workerOut = new AnonymousPipeClientStream(PipeDirection.Out, fromWorker.ClientSafePipeHandle);
        var host = new WorkerHost(workerIn, workerOut).RunAsync(Cancel);
        var folder = Path.Combine(AppContext.BaseDirectory, "fixtures", "Cog.Fixtures.Misbehaving");
        var data = new InvocationData("misbehaving", "reflect", "p", "i", "Last", [JsonSerializer.SerializeToElement("a")], [], JsonSerializer.SerializeToElement(new { }),
            "alice", "alice", null, "ops", false, new() { ["GREETING"] = "hi" });

        await Frames.WriteAsync(toWorker, new HelloMessage(Frames.ProtocolVersion, "misbehaving", folder, "Cog.Fixtures.Misbehaving.dll"), Cancel);
        var ready = await Frames.ReadAsync(fromWorker, Cancel);
        await Frames.WriteAsync(toWorker, new InvokeMessage(1, InvokeMessage.TypeKind, "Cog.Fixtures.Misbehaving.Aborts", null, data, 1000), Cancel);
        var result = await Frames.ReadAsync(fromWorker, Cancel);
        toWorker.Dispose();
        await host.WaitAsync(Cancel);

        Assert.Equal(Environment.ProcessId, Assert.IsType<ReadyMessage>(ready).ProcessId);
        var abort = Assert.IsType<ResultMessage>(result);
        Assert.Equal((1L, ResultMessage.Abort, "abort", "nothing to deploy"), (abort.Id, abort.Status, abort.Template, abort.Message));
    }

    [Fact]
    public async Task An_engine_with_in_process_workers_runs_commands_over_the_same_channel()
    {
        var cache = Directory.CreateTempSubdirectory("cog-in-process-workers-");
        await using var engine = new WorkerEngine(new CompiledScripts(cache.FullName), InProcessWorker.Start, WorkerOptions.Default, NullLogger.Instance, TimeProvider.System);
        var folder = PluginFixtures.Folder(PluginFixtures.Misbehaving);
        engine.Load("misbehaving", folder, PluginFixtures.AssemblyFile(PluginFixtures.Misbehaving));

        var outcome = await engine.RunAsync(PluginFixtures.Invocation("misbehaving", folder, "Cog.Fixtures.Misbehaving.Aborts"), ExecutionLimits.Default, Cancel);

        Assert.Equal(ExecutionOutcome.Abort("nothing to deploy", "abort"), outcome with { Items = [] });
        Assert.Equal(Environment.ProcessId, Assert.Single(engine.PoolOf(folder)!.Workers).ProcessId);
        cache.Delete(recursive: true);
    }

    [Theory]
    [InlineData(0, null, "the worker exited with code 0")]
    [InlineData(3, null, "the worker exited with code 3")]
    [InlineData(137, null, "killed by signal 9")]
    [InlineData(134, "Stack overflow.", "stack overflow")]
    [InlineData(134, "Unhandled exception. System.InvalidOperationException: boom", "an exception escaped: InvalidOperationException: boom")]
    [InlineData(134, "Unhandled exception. Cog.Fixtures.Oops", "an exception escaped: Oops")]
    [InlineData(134, "Process terminated. Gave up.", "the worker was terminated: Gave up.")]
    public void A_dead_workers_reason_comes_from_its_crash_report_and_exit_status(int exitCode, string? crashLine, string reason)
    {
        Assert.Equal(reason, WorkerConnection.Describe(exitCode, crashLine));
    }

    [Fact]
    public void The_crash_messages_are_pinned()
    {
        Assert.Equal("The command crashed: stack overflow", WorkerErrors.Crashed(WorkerErrors.StackOverflow));
        Assert.Equal("The command crashed: the worker was stopped", WorkerErrors.Crashed(WorkerErrors.Stopped));
        Assert.Equal("The command ran out of memory: it needed more than its worker's memory limit.", ExecutionErrors.OutOfMemory);
        Assert.Equal("The command was cancelled before it finished.", ExecutionErrors.Cancelled);
        Assert.Equal("No worker could be started for the bundle 'b': why", WorkerErrors.StartFailed("b", "why"));
        Assert.Equal("the worker did not answer within 30 s", WorkerErrors.NoAnswer(TimeSpan.FromSeconds(30)));
    }
}

/// <summary>A memory stream that counts the reads and writes made on it (every read and write of a memory stream,
/// asynchronous ones included, ends in these two methods).</summary>
sealed class CountingStream : MemoryStream
{
    int _reads;
    int _writes;

    public int Reads => Volatile.Read(ref _reads);

    public int Writes => Volatile.Read(ref _writes);

    public override int Read(byte[] buffer, int offset, int count)
    {
        Interlocked.Increment(ref _reads);
        return base.Read(buffer, offset, count);
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        Interlocked.Increment(ref _writes);
        base.Write(buffer, offset, count);
    }
}

/// <summary>A worker whose output is a recording: it has exited once the relay has read it to its end.</summary>
sealed class RecordedWorker(Stream output) : IWorkerProcess
{
    public int Id => 1;

    public Stream Input { get; } = new MemoryStream();

    public Stream Output => output;

    public StreamReader Errors => StreamReader.Null;

    public int ExitCode => 0;

    public Task WaitForExitAsync() => Task.CompletedTask;

    public void Kill()
    {
    }

    public void Dispose() => Input.Dispose();
}
