using System.Buffers.Binary;
using System.IO.Pipes;
using System.Text;
using System.Text.Json;
using Cog.Relay.Execution;
using Cog.Relay.Execution.Scripts;
using Cog.Relay.Execution.Workers;
using Cog.Relay.Tests.Execution.Assemblies;
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
