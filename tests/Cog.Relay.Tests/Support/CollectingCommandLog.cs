using System.Collections.Concurrent;
using Cog.Sdk;

namespace Cog.Relay.Tests.Support;

/// <summary>An <see cref="ICommandLog"/> that keeps every entry as <c>level: message</c>, in order.</summary>
public sealed class CollectingCommandLog : ICommandLog
{
    readonly ConcurrentQueue<string> _entries = new();

    public IReadOnlyList<string> Entries => [.. _entries];

    public void Debug(string message) => _entries.Enqueue("debug: " + message);

    public void Info(string message) => _entries.Enqueue("info: " + message);

    public void Warn(string message) => _entries.Enqueue("warn: " + message);

    public void Error(string message) => _entries.Enqueue("error: " + message);
}
