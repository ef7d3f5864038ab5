using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Cog.Testing;

/// <summary>A logger factory that keeps every formatted line with its level and category, so tests can wait for and
/// pin what components log (and prove secrets never reach the log).</summary>
public sealed class CollectingLoggerFactory : ILoggerFactory
{
    readonly ConcurrentQueue<(LogLevel Level, string Category, string Text)> _lines = new();

    public IReadOnlyList<(LogLevel Level, string Category, string Text)> Lines => [.. _lines];

    public IReadOnlyList<string> Texts => [.. _lines.Select(l => l.Text)];

    /// <summary>The lines logged at Error or above.</summary>
    public IReadOnlyList<string> Errors => [.. _lines.Where(l => l.Level >= LogLevel.Error).Select(l => l.Text)];

    /// <summary>Whether a line containing <paramref name="text"/> was logged.</summary>
    public bool Contains(string text) => _lines.Any(l => l.Text.Contains(text, StringComparison.Ordinal));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <summary>A typed logger over this factory.</summary>
    public ILogger<T> CreateLogger<T>() => new Logger<T>(this);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public void Dispose()
    {
    }

    /// <summary>Waits until a line containing <paramref name="text"/> has been logged, and returns that line; on a
    /// timeout the failure lists everything that was logged.</summary>
    public async Task<string> WaitForAsync(string text)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            if (Texts.FirstOrDefault(t => t.Contains(text, StringComparison.Ordinal)) is { } found)
                return found;
            if (watch.Elapsed >= Eventually.Limit)
                Assert.Fail($"Not logged: {text}\nLogged:\n{string.Join("\n", Texts)}");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    sealed class Logger(CollectingLoggerFactory owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._lines.Enqueue((logLevel, category, formatter(state, exception) + (exception is null ? "" : " " + exception)));
    }
}
