using Cog.Integration.Tests.Support;

namespace Cog.Integration.Tests.Bus;

/// <summary>The bus suite over the server's embedded MQTTnet broker (relays log in against the credential store).</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class EmbeddedBrokerBusTests : BusSuite
{
    private protected override Task<BusBroker> StartBrokerAsync(BusEnvironment.StartContext context) =>
        EmbeddedBusBroker.StartAsync(context.Credentials, context.Log, context.Folder);
}
