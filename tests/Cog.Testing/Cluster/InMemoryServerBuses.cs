using System.Collections.Concurrent;
using Cog.Runtime.Cluster;

namespace Cog.Testing.Cluster;

/// <summary>Several <see cref="IServerBus"/>es that reach each other in memory, as servers sharing one store do: a notice
/// published on one is delivered, before <see cref="IServerBus.PublishAsync"/> returns, to every other bus's
/// subscribers of its channel, never to the sender's own.</summary>
public sealed class InMemoryServerBuses
{
    readonly ConcurrentDictionary<string, Bus> _buses = new(StringComparer.Ordinal);

    /// <summary>The bus of server <paramref name="instance"/> (made on first use).</summary>
    public IServerBus For(string instance) => _buses.GetOrAdd(instance, name => new Bus(this, name));

    /// <summary>Delivers a <see cref="ServerNotice.Missed"/> notice to every subscriber of <paramref name="instance"/>'s
    /// bus, as a reconnecting listener does.</summary>
    public void Reconnect(string instance) => ((Bus)For(instance)).Deliver(null);

    sealed class Bus(InMemoryServerBuses buses, string instance) : IServerBus
    {
        readonly Lock _loop = new();
        readonly ConcurrentDictionary<long, (string Channel, Action<ServerNotice> Handler)> _handlers = new();
        long _next;

        public string Instance => instance;

        public ValueTask PublishAsync(string channel, string payload, CancellationToken cancellationToken)
        {
            ServerBusChecks.Check(channel, payload);
            foreach (var bus in buses._buses.Values)
            {
                if (bus != this)
                    bus.Deliver(new ServerNotice(channel, instance, payload));
            }
            return ValueTask.CompletedTask;
        }

        public IDisposable Subscribe(string channel, Action<ServerNotice> handler)
        {
            ServerBusChecks.CheckChannel(channel);
            ArgumentNullException.ThrowIfNull(handler);
            var id = Interlocked.Increment(ref _next);
            _handlers[id] = (channel, handler);
            return new Subscription(() => _handlers.TryRemove(id, out _));
        }

        /// <summary>Runs the handlers of the notice's channel one at a time (a <see langword="null"/> notice: every
        /// handler gets a missed notice).</summary>
        public void Deliver(ServerNotice? notice)
        {
            lock (_loop)
            {
                foreach (var (channel, handler) in _handlers.Values)
                {
                    if (notice is null)
                        handler(new ServerNotice(channel, "", "", Missed: true));
                    else if (string.Equals(channel, notice.Value.Channel, StringComparison.Ordinal))
                        handler(notice.Value);
                }
            }
        }
    }

    sealed class Subscription(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
