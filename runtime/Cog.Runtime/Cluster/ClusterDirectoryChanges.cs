using System.Threading.Channels;
using Cog.Runtime.Pipeline;
using Microsoft.Extensions.Logging;

namespace Cog.Runtime.Cluster;

/// <summary>The <see cref="IDirectoryChanges"/> of a server that shares its store: each change drops this server's cached
/// directory at once and is announced on the <see cref="Channel"/> channel of the <see cref="IServerBus"/>, so every
/// other server drops the same kind of cache; a <see cref="ServerNotice.Missed"/> notice drops everything.</summary>
/// <remarks>
/// <para>Callers call it after the change is committed (the <see cref="IDirectoryChanges"/> contract), so a peer that
/// reloads reads the new state. The methods never block: announcements are queued and published in order by one loop;
/// one that cannot be published (the database unreachable just after the change committed) is logged and dropped.</para>
/// <para>Payloads: <c>catalog</c>, <c>grants</c>, <c>relays</c>, <c>config</c>, <c>aliases:</c> and a user id.</para>
/// </remarks>
public sealed class ClusterDirectoryChanges : IDirectoryChanges, IAsyncDisposable
{
    /// <summary>The bus channel of directory changes.</summary>
    public const string Channel = "directory";

    const string AliasesPrefix = "aliases:";

    readonly StorePipelineDirectory _local;
    readonly IServerBus _bus;
    readonly ILogger _logger;
    readonly Channel<string> _outbox = System.Threading.Channels.Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    readonly IDisposable _subscription;
    readonly Task _publisher;

    /// <summary>Forwards to <paramref name="local"/> and announces on <paramref name="bus"/>; applies the other servers'
    /// announcements to <paramref name="local"/>.</summary>
    public ClusterDirectoryChanges(StorePipelineDirectory local, IServerBus bus, ILogger<ClusterDirectoryChanges> logger)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentNullException.ThrowIfNull(logger);
        (_local, _bus, _logger) = (local, bus, logger);
        _subscription = bus.Subscribe(Channel, Apply);
        _publisher = Task.Run(PublishAsync);
    }

    /// <inheritdoc />
    public void CatalogChanged()
    {
        _local.CatalogChanged();
        Announce("catalog");
    }

    /// <inheritdoc />
    public void UserAliasesChanged(string userId)
    {
        _local.UserAliasesChanged(userId);
        Announce(AliasesPrefix + userId);
    }

    /// <inheritdoc />
    public void GrantsChanged()
    {
        _local.GrantsChanged();
        Announce("grants");
    }

    /// <inheritdoc />
    public void RelaysChanged()
    {
        _local.RelaysChanged();
        Announce("relays");
    }

    /// <inheritdoc />
    public void ConfigChanged()
    {
        _local.ConfigChanged();
        Announce("config");
    }

    void Announce(string payload) => _outbox.Writer.TryWrite(payload);

    /// <summary>Another server's change (on the bus's loop).</summary>
    void Apply(ServerNotice notice)
    {
        if (notice.Missed)
        {
            _local.DropAll();
            return;
        }
        switch (notice.Payload)
        {
            case "catalog":
                _local.CatalogChanged();
                break;
            case "grants":
                _local.GrantsChanged();
                break;
            case "relays":
                _local.RelaysChanged();
                break;
            case "config":
                _local.ConfigChanged();
                break;
            case var aliases when aliases.StartsWith(AliasesPrefix, StringComparison.Ordinal):
                _local.UserAliasesChanged(aliases[AliasesPrefix.Length..]);
                break;
            default:
                // A newer server's kind of change: dropping everything is always right.
                _local.DropAll();
                break;
        }
    }

    async Task PublishAsync()
    {
        await foreach (var payload in _outbox.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await _bus.PublishAsync(Channel, payload, CancellationToken.None).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Whatever the store says, the loop goes on with the next change; the failure is logged.
            catch (Exception e)
#pragma warning restore CA1031
            {
                ClusterLog.AnnounceFailed(_logger, payload, e);
            }
        }
    }

    /// <summary>Stops applying other servers' changes, and publishes what is queued before returning.</summary>
    public async ValueTask DisposeAsync()
    {
        _subscription.Dispose();
        _outbox.Writer.TryComplete();
        await _publisher.ConfigureAwait(false);
    }
}
