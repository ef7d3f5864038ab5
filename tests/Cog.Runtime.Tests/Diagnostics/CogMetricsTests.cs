using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Cog.Contracts.Relays;
using Cog.Runtime.Audit;
using Cog.Runtime.Diagnostics;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Tests.Pipeline;
using Microsoft.Extensions.Time.Testing;

namespace Cog.Runtime.Tests.Diagnostics;

public sealed class CogMetricsTests : IDisposable
{
    readonly OwnMeterFactory _factory = new();
    readonly MeterListener _listener = new();
    readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measured = new();
    readonly FakeTimeProvider _time = new();
    readonly CogMetrics _metrics;

    public CogMetricsTests()
    {
        _metrics = new CogMetrics(_factory);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (_factory.Created.Contains(instrument.Meter))
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    public void Dispose()
    {
        _listener.Dispose();
        _factory.Dispose();
    }

    void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        _measured.Enqueue((instrument.Name, value, new Dictionary<string, object?>(tags.ToArray())));

    [Fact]
    public void The_meter_is_named_cog()
    {
        Assert.Equal("Cog", Assert.Single(_factory.Created).Name);
    }

    [Fact]
    public async Task A_metered_runner_counts_each_pipeline_by_status_and_provider_and_times_it()
    {
        var runner = new MeteredPipelineRunner(new SlowRunner(_time), _metrics, _time);

        await runner.RunAsync(Some.Request("echo hi"), TestContext.Current.CancellationToken);

        var counted = Assert.Single(_measured, m => m.Instrument == "cog.pipelines");
        Assert.Equal(1, counted.Value);
        Assert.Equal("no_output", counted.Tags["cog.pipeline.status"]);
        Assert.Equal("slack", counted.Tags["cog.pipeline.provider"]);
        var timed = Assert.Single(_measured, m => m.Instrument == "cog.pipeline.duration");
        Assert.Equal(2.5, timed.Value);
    }

    [Fact]
    public async Task A_metered_runner_counts_a_pipeline_active_while_it_runs()
    {
        var runner = new MeteredPipelineRunner(new SlowRunner(_time), _metrics, _time);

        await runner.RunAsync(Some.Request("echo hi"), TestContext.Current.CancellationToken);

        var active = _measured.Where(m => m.Instrument == "cog.pipelines.active").ToList();
        Assert.Equal([1.0, -1.0], active.Select(m => m.Value));
        Assert.All(active, m => Assert.Equal("slack", m.Tags["cog.pipeline.provider"]));
    }

    [Fact]
    public async Task A_metered_executor_counts_and_times_invocations_by_status_and_bundle_and_counts_them_in_flight()
    {
        double? inFlightDuringRun = null;
        var executor = new FakeExecutor().On("tools:echo", call =>
        {
            inFlightDuringRun = _measured.Where(m => m.Instrument == "cog.invocations.active").Sum(m => m.Value);
            _time.Advance(TimeSpan.FromMilliseconds(40));
            return FakeExecutor.Echo(call);
        });
        var metered = new MeteredCommandExecutor(executor, _metrics, _time);

        await metered.ExecuteAsync(Call("tools", "echo"), TestContext.Current.CancellationToken);

        var counted = Assert.Single(_measured, m => m.Instrument == "cog.invocations");
        Assert.Equal(("ok", "tools"), (counted.Tags["cog.invocation.status"], counted.Tags["cog.bundle"]));
        var timed = Assert.Single(_measured, m => m.Instrument == "cog.invocation.duration");
        Assert.Equal((0.04, "ok", "tools"), (Math.Round(timed.Value, 3), timed.Tags["cog.invocation.status"], timed.Tags["cog.bundle"]));
        Assert.Equal(1, inFlightDuringRun);
        Assert.Equal(0, _measured.Where(m => m.Instrument == "cog.invocations.active").Sum(m => m.Value));
        Assert.All(_measured.Where(m => m.Instrument == "cog.invocations.active"), m => Assert.Equal("tools", m.Tags["cog.bundle"]));
    }

    [Theory]
    [InlineData("cog.pipeline.duration")]
    [InlineData("cog.invocation.duration")]
    [InlineData("cog.audit.write.duration")]
    public void Duration_histograms_are_in_seconds_with_buckets_from_5_ms_to_5_minutes(string name)
    {
        var histogram = Assert.IsType<Histogram<double>>(Assert.Single(Instruments(), i => i.Name == name));

        Assert.Equal("s", histogram.Unit);
        var buckets = histogram.Advice?.HistogramBucketBoundaries;
        Assert.NotNull(buckets);
        Assert.Equal(0.005, buckets[0]);
        Assert.Equal(300, buckets[^1]);
        // A pipeline of 40 ms and one of 4 s land in different buckets (the millisecond defaults put both in the first).
        Assert.NotEqual(buckets.Count(b => b < 0.04), buckets.Count(b => b < 4));
    }

    [Fact]
    public void The_online_relay_gauge_counts_the_relays_whose_status_says_online()
    {
        var registry = new Cog.Runtime.Relays.RelayRegistry(_time);
        registry.ApplyStatus("a", Relays.Some.Online("a"));
        registry.ApplyStatus("b", Relays.Some.Online("b"));
        registry.ApplyStatus("c", Relays.Some.Offline("c"));
        RelayMetrics.Observe(_factory, registry);

        _listener.RecordObservableInstruments();

        var observed = Assert.Single(_measured, m => m.Instrument == "cog.relays.online");
        Assert.Equal(2, observed.Value);
    }

    List<Instrument> Instruments()
    {
        var found = new List<Instrument>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (_factory.Created.Contains(instrument.Meter))
                    found.Add(instrument);
            },
        };
        listener.Start();
        return found;
    }

    static CommandCall Call(string bundle, string command) =>
        new("p", "i", 0, bundle, "1.0.0", command, new Cog.Language.Options.CommandInput([], System.Collections.Immutable.ImmutableDictionary<string, Cog.Language.Values.Value>.Empty),
            new Cog.Language.Values.ObjectValue([]), ItemStep.Last, Some.Alice, Some.Ops, TimeSpan.FromSeconds(1), bundle + ":" + command);

    [Fact]
    public async Task A_failed_audit_append_is_timed_as_failed_and_still_thrown()
    {
        var store = new MeteredAuditStore(new BrokenAuditStore(), _metrics, _time);

        await Assert.ThrowsAsync<IOException>(() => store.AppendAsync([new AuditEntry(_time.GetUtcNow(), "k", null, null, null, "{}")], AuditKey.Generate(), TestContext.Current.CancellationToken));

        var timed = Assert.Single(_measured, m => m.Instrument == "cog.audit.write.duration");
        Assert.Equal("failed", timed.Tags["cog.audit.result"]);
    }

    [Fact]
    public void Trigger_answers_are_counted_by_http_status()
    {
        _metrics.TriggerAnswered(202);

        var counted = Assert.Single(_measured, m => m.Instrument == "cog.trigger.requests");
        Assert.Equal(202, counted.Tags["http.response.status_code"]);
    }

    [Theory]
    [InlineData(PipelineStatus.Succeeded, "succeeded")]
    [InlineData(PipelineStatus.NoOutput, "no_output")]
    [InlineData(PipelineStatus.Aborted, "aborted")]
    [InlineData(PipelineStatus.PlanningFailed, "planning_failed")]
    [InlineData(PipelineStatus.ExecutionFailed, "execution_failed")]
    public void Statuses_have_snake_case_names(PipelineStatus status, string name) => Assert.Equal(name, CogMetrics.StatusName(status));

    sealed class OwnMeterFactory : IMeterFactory
    {
        public List<Meter> Created { get; } = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options);
            Created.Add(meter);
            return meter;
        }

        public void Dispose()
        {
            foreach (var meter in Created)
                meter.Dispose();
        }
    }

    /// <summary>Takes 2.5 s of fake time and ends with no output.</summary>
    sealed class SlowRunner(FakeTimeProvider time) : IPipelineRunner
    {
        public Task<PipelineOutcome> RunAsync(PipelineRequest request, CancellationToken cancellationToken)
        {
            time.Advance(TimeSpan.FromSeconds(2.5));
            return Task.FromResult(new PipelineOutcome("p", PipelineStatus.NoOutput, [], null, null, null, null, null));
        }

        public Task<PipelineExplanation> ExplainAsync(PipelineRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    sealed class BrokenAuditStore : IAuditStore
    {
        public Task<IReadOnlyList<AuditRecord>> AppendAsync(IReadOnlyList<AuditEntry> entries, AuditKey key, CancellationToken cancellationToken) =>
            Task.FromException<IReadOnlyList<AuditRecord>>(new IOException("disk full"));

        public Task<AuditRecord?> ReadHeadAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<AuditRecord>> ListAsync(AuditQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();

        public IAsyncEnumerable<AuditRecord> ReadAllAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
