using Cog.Runtime.Relays;

namespace Cog.Runtime.Mqtt.Tests.Relays;

public sealed class InMemoryRelayCredentialStoreTests
{
    [Fact]
    public async Task Create_stores_the_hash_of_the_returned_token()
    {
        var store = new InMemoryRelayCredentialStore();

        var token = store.Create("relay-a");
        var credential = await store.FindAsync("relay-a", TestContext.Current.CancellationToken);

        Assert.NotNull(credential);
        Assert.True(credential.Enabled);
        Assert.True(RelayToken.Verify(token, credential.TokenHash));
    }

    [Fact]
    public async Task A_relay_can_be_disabled_and_removed()
    {
        var store = new InMemoryRelayCredentialStore();
        store.Create("relay-a");

        Assert.True(store.SetEnabled("relay-a", false));
        Assert.False((await store.FindAsync("relay-a", TestContext.Current.CancellationToken))!.Enabled);
        Assert.True(store.Remove("relay-a"));
        Assert.Null(await store.FindAsync("relay-a", TestContext.Current.CancellationToken));
        Assert.False(store.SetEnabled("relay-a", true));
        Assert.False(store.Remove("relay-a"));
    }
}
