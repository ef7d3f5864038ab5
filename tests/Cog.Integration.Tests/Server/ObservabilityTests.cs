using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Cog.Integration.Tests.Support;
using Cog.Runtime.Chat;
using Cog.Server.Configuration;
using Cog.Testing;
using Cog.Testing.Chat;
using Microsoft.Extensions.DependencyInjection;

namespace Cog.Integration.Tests.Server;

/// <summary>Traces and metrics of a whole server in-process with its dev relay as a separate process: both export their
/// spans over OTLP to a collector the test runs, and a real Prometheus scrapes the server's <c>/metrics</c>.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ObservabilityTests : IAsyncLifetime
{
    /// <summary>How long exported spans may take to arrive (each process sends a batch every 5 seconds) and Prometheus to
    /// start and scrape, on a loaded machine.</summary>
    static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    readonly FakeChatProvider _chat = new("fake");
    OtlpReceiver? _collector;
    ServerEnvironment? _environment;

    OtlpReceiver Collector => _collector!;

    ServerEnvironment Env => _environment!;

    static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _collector = await OtlpReceiver.StartAsync();
        _chat.AddUser("admin");
        _environment = await ServerEnvironment.StartAsync((options, _) =>
        {
            options.Telemetry.OtlpEndpoint = Collector.Endpoint.ToString();
            options.Telemetry.OtlpProtocol = TelemetryOptions.HttpProtobuf;
        }, services => services.AddSingleton<IChatProvider>(_chat));
        var (attached, handle) = await Env.SendAsync(HttpMethod.Post, "/v1/users/admin/chat_handles",
            new { chat_handle = new { chat_provider = "fake", handle = "admin" } });
        Assert.True(attached == HttpStatusCode.Created, handle.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        if (_environment is not null)
            await _environment.DisposeAsync();
        if (_collector is not null)
            await _collector.DisposeAsync();
    }

    [Fact]
    public async Task One_trace_covers_a_chat_message_through_the_server_the_mqtt_hop_the_relay_process_and_the_command_to_the_reply()
    {
        await Env.WaitForRelayAsync("shelldemo:context");
        var admin = _chat.AddUser("admin");
        var room = _chat.AddRoom("ops");

        await _chat.SayAsync(admin, room, "!shelldemo:context");
        var reply = Assert.Single(await _chat.WaitForRepliesAsync());

        // The executable received the trace context of its relay span (the command's environment is the reply).
        var traceparent = TraceParent.Match(reply.Text);
        Assert.True(traceparent.Success, reply.Text);
        var (trace, commandSpan) = (traceparent.Groups["trace"].Value, traceparent.Groups["span"].Value);

        // Both processes export in batches: wait until the trace holds the reply (server) and the command (relay).
        List<ReceivedSpan> spans = [];
        await Eventually.TrueAsync(() =>
        {
            spans = [.. Collector.Spans.Where(s => s.TraceId == trace)];
            return spans.Any(s => s.Name == "cog.chat.reply") && spans.Any(s => s.Name == "cog.command");
        }, $"the spans of trace {trace} from the server and the relay", Limit);

        ReceivedSpan One(string name, string service)
        {
            var span = Assert.Single(spans, s => s.Name == name);
            Assert.Equal(service, span.Service);
            return span;
        }
        var message = One("cog.chat.message", "cog-server");
        var pipeline = One("cog.pipeline", "cog-server");
        var invocation = One("cog.invocation", "cog-server");
        var publish = One("cog.mqtt.publish", "cog-server");
        var received = One("cog.relay.invocation", "cog-relay");
        var command = One("cog.command", "cog-relay");
        var replied = One("cog.chat.reply", "cog-server");
        Assert.Equal("", message.ParentSpanId);
        Assert.Equal(message.SpanId, pipeline.ParentSpanId);
        Assert.Contains(spans, s => s.Name == "cog.authorize" && s.ParentSpanId == pipeline.SpanId);
        Assert.Contains(spans, s => s.Name == "cog.audit.write" && s.ParentSpanId == pipeline.SpanId);
        Assert.Equal(pipeline.SpanId, invocation.ParentSpanId);
        Assert.Equal(invocation.SpanId, publish.ParentSpanId);
        // Across the broker: the relay's span continues the publish whose context rode in the MQTT user properties.
        Assert.Equal(publish.SpanId, received.ParentSpanId);
        Assert.Equal(received.SpanId, command.ParentSpanId);
        Assert.Equal(command.SpanId, commandSpan);
        Assert.Equal(message.SpanId, replied.ParentSpanId);
    }

    [Fact]
    public async Task Prometheus_scrapes_the_metrics_and_answers_a_quantile_of_pipeline_durations_in_seconds()
    {
        await Env.RunAsync("echo hello");
        await using var prometheus = await PrometheusProcess.StartAsync(Env.Server.ApiUrl, Token);

        // The buckets are in seconds from 5 ms (OpenTelemetry's millisecond defaults would start at 0 and 5).
        var buckets = await prometheus.QueryUntilAnsweredAsync("cog_pipeline_duration_seconds_bucket{job=\"cog\"}", Limit, Token);
        var bounds = buckets.EnumerateArray().Select(b => b.GetProperty("metric").GetProperty("le").GetString()!).ToList();
        var finite = bounds.Where(b => b != "+Inf").Select(b => double.Parse(b, CultureInfo.InvariantCulture)).Order().ToList();
        Assert.True(finite is [0.005, .., 300], string.Join(", ", bounds));
        var median = await prometheus.QueryUntilAnsweredAsync(
            "histogram_quantile(0.5, sum by (le) (cog_pipeline_duration_seconds_bucket{job=\"cog\"}))", Limit, Token);
        var seconds = double.Parse(Assert.Single(median.EnumerateArray()).GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
        Assert.InRange(seconds, 0, 300);
        // The resource: who reports.
        var target = await prometheus.QueryUntilAnsweredAsync("target_info{job=\"cog\"}", Limit, Token);
        var labels = Assert.Single(target.EnumerateArray()).GetProperty("metric");
        Assert.Equal("cog-server", labels.GetProperty("service_name").GetString());
        Assert.Equal("e2e", labels.GetProperty("service_instance_id").GetString());
        // The gauges: the dev relay, and nothing in flight once the pipeline ended.
        await Env.WaitForRelayAsync("shelldemo:context");
        var online = await prometheus.QueryUntilAnsweredAsync("cog_relays_online{job=\"cog\"} >= 1", Limit, Token);
        Assert.Single(online.EnumerateArray());
    }

    static readonly Regex TraceParent = new("TRACEPARENT\\W+00-(?<trace>[0-9a-f]{32})-(?<span>[0-9a-f]{16})-0[01]", RegexOptions.CultureInvariant);
}
