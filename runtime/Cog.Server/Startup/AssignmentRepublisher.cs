using System.Threading.Channels;
using Cog.Runtime.Bundles;
using Cog.Runtime.Mqtt.Transport;
using Cog.Server.Composition;
using Microsoft.Extensions.Logging;

namespace Cog.Server.Startup;

/// <summary>Publishes every relay's assignments again each time the server's broker connection is re-established. A
/// broker that restarted without persistence (Mosquitto's default) has lost every retained message, so a relay started
/// afterwards would otherwise serve nothing until an administrator changed something; the store is the truth, so the
/// assignments are computed from it again (with new revisions), never replayed from memory.</summary>
/// <remarks>Reconnections that come while a publication runs are folded into one more publication. A failed publication
/// is logged; the next reconnection or change publishes again.</remarks>
sealed class AssignmentRepublisher : IAsyncDisposable
{
    readonly MqttRelayTransport _transport;
    readonly Channel<bool> _reconnected = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    readonly CancellationTokenSource _stop = new();
    readonly Task _loop;

    public AssignmentRepublisher(MqttRelayTransport transport, BundleRegistry registry, ILogger logger)
    {
        _transport = transport;
        _transport.Connected += OnConnected;
        _loop = Task.Run(() => RunAsync(registry, logger, _stop.Token));
    }

    void OnConnected(object? sender, EventArgs e) => _reconnected.Writer.TryWrite(true);

    async Task RunAsync(BundleRegistry registry, ILogger logger, CancellationToken stop)
    {
        try
        {
            await foreach (var _ in _reconnected.Reader.ReadAllAsync(stop).ConfigureAwait(false))
            {
                try
                {
                    await registry.PublishAllAsync(stop).ConfigureAwait(false);
                    ServerLog.AssignmentsRepublished(logger);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
#pragma warning disable CA1031 // A failed publication must not end the loop; the next reconnection or change publishes again.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    ServerLog.AssignmentsRepublishFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        _transport.Connected -= OnConnected;
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
