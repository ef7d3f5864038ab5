using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cog.Integration.Tests.Support;

/// <summary>An OTLP/HTTP collector for tests: Kestrel on a loopback port accepting <c>POST /v1/traces</c> (and
/// <c>/v1/metrics</c>, ignored), decoding the protobuf request far enough to keep every span's ids, name and its
/// resource's <c>service.name</c>.</summary>
/// <remarks>The decoder reads only the fields it needs of <c>ExportTraceServiceRequest</c> (opentelemetry-proto:
/// resource_spans = 1 → resource = 1 (attributes = 1: key = 1, value = 2 → string_value = 1) and scope_spans = 2 →
/// spans = 2 → trace_id = 1, span_id = 2, parent_span_id = 4, name = 5) and skips every other field by its wire
/// type.</remarks>
sealed class OtlpReceiver : IAsyncDisposable
{
    readonly WebApplication _app;
    readonly ConcurrentQueue<ReceivedSpan> _spans = new();

    OtlpReceiver(WebApplication app)
    {
        _app = app;
    }

    /// <summary>The base URL to configure as the OTLP endpoint (protocol http/protobuf).</summary>
    public Uri Endpoint => new(_app.Urls.First());

    /// <summary>Every span received so far.</summary>
    public IReadOnlyList<ReceivedSpan> Spans => [.. _spans];

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.MapPost("/v1/traces", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            receiver.Decode(body.ToArray());
            return Results.Bytes([], "application/x-protobuf");
        });
        app.MapPost("/v1/metrics", () => Results.Bytes([], "application/x-protobuf"));
        await app.StartAsync(TestContext.Current.CancellationToken);
        return receiver;
    }

    void Decode(ReadOnlySpan<byte> request)
    {
        foreach (var (field, resourceSpans) in Fields(request))
        {
            if (field != 1)
                continue;
            string? service = null;
            var spans = new List<(string Trace, string Span, string Parent, string Name)>();
            foreach (var (part, value) in Fields(resourceSpans))
            {
                if (part == 1)
                    service = ServiceName(value) ?? service;
                else if (part == 2)
                {
                    foreach (var (scopeField, span) in Fields(value))
                    {
                        if (scopeField == 2)
                            spans.Add(Span(span));
                    }
                }
            }
            foreach (var span in spans)
                _spans.Enqueue(new ReceivedSpan(service ?? "", span.Trace, span.Span, span.Parent, span.Name));
        }
    }

    static string? ServiceName(ReadOnlySpan<byte> resource)
    {
        foreach (var (field, attribute) in Fields(resource))
        {
            if (field != 1)
                continue;
            string? key = null, text = null;
            foreach (var (part, value) in Fields(attribute))
            {
                if (part == 1)
                    key = Encoding.UTF8.GetString(value);
                else if (part == 2)
                {
                    foreach (var (kind, inner) in Fields(value))
                    {
                        if (kind == 1)
                            text = Encoding.UTF8.GetString(inner);
                    }
                }
            }
            if (key == "service.name")
                return text;
        }
        return null;
    }

    static (string Trace, string Span, string Parent, string Name) Span(ReadOnlySpan<byte> span)
    {
        string trace = "", id = "", parent = "", name = "";
        foreach (var (field, value) in Fields(span))
        {
            switch (field)
            {
                case 1: trace = Convert.ToHexStringLower(value); break;
                case 2: id = Convert.ToHexStringLower(value); break;
                case 4: parent = Convert.ToHexStringLower(value); break;
                case 5: name = Encoding.UTF8.GetString(value); break;
            }
        }
        return (trace, id, parent, name);
    }

    /// <summary>The length-delimited fields of a message (number and bytes); varint and fixed fields are skipped.</summary>
    static List<(int Field, byte[] Value)> Fields(ReadOnlySpan<byte> message)
    {
        var fields = new List<(int, byte[])>();
        var position = 0;
        while (position < message.Length)
        {
            var key = Varint(message, ref position);
            var field = (int)(key >> 3);
            switch ((int)(key & 7))
            {
                case 0: Varint(message, ref position); break;
                case 1: position += 8; break;
                case 5: position += 4; break;
                case 2:
                    var length = (int)Varint(message, ref position);
                    fields.Add((field, message.Slice(position, length).ToArray()));
                    position += length;
                    break;
                default: throw new InvalidDataException($"Unexpected protobuf wire type {key & 7} at byte {position}.");
            }
        }
        return fields;
    }

    static ulong Varint(ReadOnlySpan<byte> message, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = message[position++];
            value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
                return value;
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

/// <summary>One span as the collector received it (ids in lowercase hexadecimal; no parent is "").</summary>
sealed record ReceivedSpan(string Service, string TraceId, string SpanId, string ParentSpanId, string Name);
