using System.Collections.Concurrent;
using System.Diagnostics;
using Cog.Runtime.Diagnostics;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Tests.Pipeline;
using Microsoft.Extensions.Time.Testing;

namespace Cog.Runtime.Tests.Diagnostics;

/// <summary>The server's spans of one pipeline, recorded by a listener on the <see cref="CogTracing"/> source. Tests run in
/// parallel and the source is process-wide, so each test runs its pipeline under a parent span of its own and keeps
/// only the spans of that trace.</summary>
public sealed class CogTracingTests : IDisposable
{
    readonly ActivityListener _listener;
    readonly ConcurrentQueue<Activity> _stopped = new();
    readonly FakeDirectory _directory = new FakeDirectory()
        .Bundle("tools", "1.0.0",
            Some.Command("echo", "when command is tools:echo allow"),
            Some.Command("secret", "when command is tools:secret must have tools:admin"));
    readonly FakeExecutor _executor = new FakeExecutor().On("tools:echo", FakeExecutor.Echo);
    readonly FakeTimeProvider _time = new();

    public CogTracingTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = static source => source.Name is CogTracing.SourceName or "test",
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task A_pipeline_is_one_trace_of_pipeline_authorization_audit_and_invocation_spans()
    {
        var spans = await TraceAsync("echo hi | echo $body[0]");

        var pipeline = Assert.Single(spans, s => s.OperationName == "cog.pipeline");
        Assert.Equal("succeeded", pipeline.GetTagItem("cog.pipeline.status"));
        var decisions = spans.Where(s => s.OperationName == "cog.authorize").ToList();
        Assert.Equal(2, decisions.Count);
        Assert.All(decisions, d => Assert.Equal(("tools:echo", "allowed"), (d.GetTagItem("cog.command"), d.GetTagItem("cog.authorization.outcome"))));
        var invocations = spans.Where(s => s.OperationName == "cog.invocation").ToList();
        Assert.Equal(2, invocations.Count);
        Assert.All(invocations, i => Assert.Equal((ActivityKind.Client, "tools", "ok"), (i.Kind, i.GetTagItem("cog.bundle"), i.GetTagItem("cog.invocation.status"))));
        Assert.Contains(spans, s => s.OperationName == "cog.audit.write");
        // Every span of the pipeline is its child: one trace, one tree.
        Assert.All(spans.Where(s => s != pipeline), s => Assert.Equal(pipeline.SpanId, s.ParentSpanId));
    }

    [Fact]
    public async Task A_refused_stage_is_an_authorization_span_with_its_rule_and_a_failed_pipeline()
    {
        var spans = await TraceAsync("secret hi");

        var decision = Assert.Single(spans, s => s.OperationName == "cog.authorize");
        Assert.Equal("denied", decision.GetTagItem("cog.authorization.outcome"));
        Assert.Equal("when command is tools:secret must have tools:admin", decision.GetTagItem("cog.authorization.rule"));
        var pipeline = Assert.Single(spans, s => s.OperationName == "cog.pipeline");
        Assert.Equal(ActivityStatusCode.Error, pipeline.Status);
        Assert.DoesNotContain(spans, s => s.OperationName == "cog.invocation");
    }

    [Fact]
    public void A_chat_message_starts_a_trace_of_its_own_whatever_is_current()
    {
        using var source = new ActivitySource("test");
        using var unrelated = source.StartActivity("provider receive loop");
        Assert.NotNull(unrelated);

        using var message = CogTracing.StartChatMessage("slack", "ops");

        Assert.NotNull(message);
        Assert.Equal(default, message.ParentSpanId);
        Assert.NotEqual(unrelated.TraceId, message.TraceId);
    }

    async Task<List<Activity>> TraceAsync(string text)
    {
        using var source = new ActivitySource("test");
        ActivityTraceId trace;
        using (var root = source.StartActivity("test"))
        {
            Assert.NotNull(root);
            trace = root.TraceId;
            var engine = new PipelineEngine(_directory, _executor, new CollectingAudit(), _time, PipelineEngineOptions.Default);
            await engine.RunAsync(Some.Request(text), TestContext.Current.CancellationToken);
        }
        return [.. _stopped.Where(s => s.TraceId == trace && s.Source.Name == CogTracing.SourceName)];
    }
}
