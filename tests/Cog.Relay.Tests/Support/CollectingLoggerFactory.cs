using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Cog.Relay.Tests.Support;

/// <summary>A logger factory that keeps every formatted line with its level, to pin what the relay logs (and prove
/// the token never reaches the log).</summary>
public sealed class CollectingLoggerFactory : ILoggerFactory
{
    readonly ConcurrentQueue<(LogLevel Level, string Category, string Text)> _lines = new();

    public IReadOnlyList<(LogLevel Level, string Category, string Text)> Lines => [.. _lines];

    public IReadOnlyList<string> Texts => [.. _lines.Select(l => l.Text)];

    public IReadOnlyList<string> Errors => [.. _lines.Where(l => l.Level >= LogLevel.Error).Select(l => l.Text)];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public void Dispose()
    {
    }

    /// <summary>Waits until a line containing <paramref name="text"/> has been logged.</summary>
    public async Task<string> WaitForAsync(string text)
    {
        var found = await Wait.UntilAsync(() => Texts.FirstOrDefault(t => t.Contains(text, StringComparison.Ordinal)));
        return found ?? throw new TimeoutException($"Not logged: {text}\nLogged:\n{string.Join("\n", Texts)}");
    }

    sealed class Logger(CollectingLoggerFactory owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._lines.Enqueue((logLevel, category, formatter(state, exception) + (exception is null ? "" : " " + exception)));
    }
}
