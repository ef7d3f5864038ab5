using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Cog.Runtime.Mqtt.Tests.Broker;

/// <summary>Keeps every formatted log line, to pin the catalog texts and prove secrets never reach the log.</summary>
public sealed class CollectingLogger<T> : ILogger<T>
{
    readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _lines.Enqueue(formatter(state, exception));
}
