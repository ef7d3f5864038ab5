using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Cog.Runtime.Mqtt.Tests.Broker;

/// <summary>Keeps every formatted log line, to pin the catalog texts and prove secrets never reach the log.</summary>
public sealed class CollectingLogger<T> : ILogger<T>
{
    readonly ConcurrentQueue<string> _lines = new();
    readonly ConcurrentQueue<string> _errors = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    /// <summary>The lines logged at Error or above: a test fails if there is any.</summary>
    public IReadOnlyList<string> Errors => [.. _errors];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var line = formatter(state, exception);
        _lines.Enqueue(line);
        if (logLevel >= LogLevel.Error)
            _errors.Enqueue(line);
    }
}
