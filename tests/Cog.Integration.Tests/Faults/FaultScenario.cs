namespace Cog.Integration.Tests.Faults;

/// <summary>A fault-injection scenario class with a <see cref="FaultWorld"/> of its own, started before its tests (with
/// the server settings and the number of servers the scenario needs) and stopped after them.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public abstract class FaultScenario(IReadOnlyDictionary<string, string>? settings = null, int servers = 1) : IAsyncLifetime
{
    /// <summary>How many API clients a load runs with.</summary>
    protected const int Clients = 20;

    FaultWorld? _world;

    private protected FaultWorld World => _world ?? throw new InvalidOperationException("The fault world is not started.");

    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _world = await FaultWorld.StartAsync(settings, servers);

    public async ValueTask DisposeAsync()
    {
        if (_world is not null)
            await _world.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
