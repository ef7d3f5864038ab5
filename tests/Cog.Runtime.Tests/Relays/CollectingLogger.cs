using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Cog.Runtime.Tests.Relays;

/// <summary>Keeps every formatted log line with its level, to pin the catalog texts.</summary>
public sealed class CollectingLogger<T> : ILogger<T>
{
    readonly ConcurrentQueue<(LogLevel Level, string Line)> _entries = new();

    public IReadOnlyList<string> Lines => [.. _entries.Select(e => e.Line)];

    public IReadOnlyList<string> Warnings => [.. _entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Line)];

    public IReadOnlyList<string> Errors => [.. _entries.Where(e => e.Level >= LogLevel.Error).Select(e => e.Line)];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _entries.Enqueue((logLevel, formatter(state, exception)));
}
