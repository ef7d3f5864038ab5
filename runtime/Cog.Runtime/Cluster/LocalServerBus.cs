using System.Text;

namespace Cog.Runtime.Cluster;

/// <summary>The <see cref="IServerBus"/> of a server alone on its store (SQLite, or a test): there is nobody to tell, so a
/// notice is checked and dropped, and no subscriber is ever called.</summary>
public sealed class LocalServerBus(string instance) : IServerBus
{
    /// <inheritdoc />
    public string Instance { get; } = instance ?? throw new ArgumentNullException(nameof(instance));

    /// <inheritdoc />
    public ValueTask PublishAsync(string channel, string payload, CancellationToken cancellationToken)
    {
        ServerBusChecks.Check(channel, payload);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public IDisposable Subscribe(string channel, Action<ServerNotice> handler)
    {
        ServerBusChecks.CheckChannel(channel);
        ArgumentNullException.ThrowIfNull(handler);
        return Nothing.Instance;
    }

    sealed class Nothing : IDisposable
    {
        public static readonly Nothing Instance = new();

        public void Dispose()
        {
        }
    }
}

/// <summary>The argument checks every <see cref="IServerBus"/> makes.</summary>
public static class ServerBusChecks
{
    /// <summary>Throws unless <paramref name="channel"/> and <paramref name="payload"/> follow <see cref="IServerBus"/>'s rules.</summary>
    public static void Check(string channel, string payload)
    {
        CheckChannel(channel);
        ArgumentNullException.ThrowIfNull(payload);
        var bytes = Encoding.UTF8.GetByteCount(payload);
        if (bytes > IServerBus.MaxPayloadBytes)
            throw new ArgumentException($"A server notice's payload is {bytes} bytes; the most is {IServerBus.MaxPayloadBytes}.", nameof(payload));
    }

    /// <summary>Throws unless <paramref name="channel"/> is 1–40 characters of <c>a-z</c>, <c>0-9</c>, <c>.</c> and <c>-</c>.</summary>
    public static void CheckChannel(string channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        if (channel.Length is 0 or > 40 || channel.Any(static c => c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '-')))
            throw new ArgumentException($"'{channel}' is not a server notice channel: 1 to 40 characters of a-z, 0-9, '.' and '-'.", nameof(channel));
    }
}
