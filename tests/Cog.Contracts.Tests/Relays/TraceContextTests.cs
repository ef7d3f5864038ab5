using System.Diagnostics;
using Cog.Contracts.Relays;

namespace Cog.Contracts.Tests.Relays;

public class TraceContextTests
{
    const string Parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    [Fact]
    public void A_span_travels_as_traceparent_and_tracestate_and_is_read_back_as_its_remote_context()
    {
        using var span = new Activity("publish").SetParentId(Parent).Start();
        span.TraceStateString = "cog=1";

        var properties = TraceContext.PropertiesOf(span).ToList();
        var read = TraceContext.Parse(properties);

        Assert.Equal([TraceContext.TraceParent, TraceContext.TraceState], properties.Select(p => p.Key));
        Assert.Equal(span.Id, properties[0].Value);
        Assert.Equal((span.TraceId, span.SpanId, "cog=1", true), (read.TraceId, read.SpanId, read.TraceState, read.IsRemote));
        Assert.Equal(span.Id, TraceContext.Format(read));
    }

    [Fact]
    public void No_span_sends_nothing_and_an_empty_state_is_not_sent()
    {
        Assert.Empty(TraceContext.PropertiesOf(null));
        using var span = new Activity("publish").SetParentId(Parent).Start();
        Assert.Equal([TraceContext.TraceParent], TraceContext.PropertiesOf(span).Select(p => p.Key));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not a traceparent")]
    [InlineData("00-00000000000000000000000000000000-00f067aa0ba902b7-01")]
    public void A_missing_or_malformed_traceparent_is_no_trace_context(string? traceparent)
    {
        var properties = traceparent is null ? [] : new[] { KeyValuePair.Create(TraceContext.TraceParent, traceparent) };

        Assert.Equal(default, TraceContext.Parse(properties));
        Assert.Null(TraceContext.Format(TraceContext.Parse(properties)));
    }
}
