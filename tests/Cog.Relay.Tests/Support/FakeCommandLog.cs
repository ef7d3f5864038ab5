using System.Collections.Concurrent;
using Cog.Sdk;

namespace Cog.Relay.Tests.Support;

/// <summary>An <see cref="ICommandLog"/> that keeps every line as <c>level: message</c>.</summary>
sealed class FakeCommandLog : ICommandLog
{
    readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public void Debug(string message) => _lines.Enqueue($"debug: {message}");

    public void Info(string message) => _lines.Enqueue($"info: {message}");

    public void Warn(string message) => _lines.Enqueue($"warn: {message}");

    public void Error(string message) => _lines.Enqueue($"error: {message}");
}
