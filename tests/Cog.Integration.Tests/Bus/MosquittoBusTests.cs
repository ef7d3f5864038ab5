using Cog.Integration.Tests.Support;

namespace Cog.Integration.Tests.Bus;

/// <summary>The bus suite over a real Mosquitto: password file with the server account and every relay's token, and
/// the ACL of docs/mosquitto/cog.acl.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class MosquittoBusTests : BusSuite
{
    private protected override Task<BusBroker> StartBrokerAsync(BusEnvironment.StartContext context) =>
        MosquittoBusBroker.StartAsync(context.Tokens);
}
