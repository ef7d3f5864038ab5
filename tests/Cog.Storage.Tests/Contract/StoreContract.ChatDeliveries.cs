namespace Cog.Storage.Tests.Contract;

public abstract partial class StoreContract
{
    [Fact]
    public async Task A_chat_delivery_is_claimed_once_by_any_of_its_keys_and_a_refused_claim_records_nothing()
    {
        Assert.True(await Store.ChatDeliveries.TryClaimAsync("slack", ["event:Ev1", "message:C1:1.1"], "cog-a", T0, Ct));

        Assert.False(await Store.ChatDeliveries.TryClaimAsync("slack", ["event:Ev1", "message:C1:1.1"], "cog-b", T0, Ct));
        // The same message as another event (app_mention and message): refused by its message key; its own event key is
        // not recorded either, so the whole claim is one decision.
        Assert.False(await Store.ChatDeliveries.TryClaimAsync("slack", ["event:Ev2", "message:C1:1.1"], "cog-b", T0, Ct));
        Assert.True(await Store.ChatDeliveries.TryClaimAsync("slack", ["event:Ev2"], "cog-b", T0, Ct));
        // Keys of another provider never meet.
        Assert.True(await Store.ChatDeliveries.TryClaimAsync("web", ["event:Ev1"], "cog-a", T0, Ct));
    }

    [Fact]
    public async Task Of_two_stores_on_one_database_claiming_the_same_deliveries_at_once_exactly_one_wins_each()
    {
        await using var other = OpenWithMigrations(EmbeddedMigrations);
        var claims = Enumerable.Range(0, 30).SelectMany(i => new[]
        {
            (Delivery: i, Claim: Store.ChatDeliveries.TryClaimAsync("slack", [$"event:A{i}", $"message:C:{i}"], "cog-a", T0, Ct)),
            (Delivery: i, Claim: other.ChatDeliveries.TryClaimAsync("slack", [$"event:B{i}", $"message:C:{i}"], "cog-b", T0, Ct)),
        }).ToList();
        var won = await Task.WhenAll(claims.Select(static c => c.Claim));

        Assert.All(claims.Select(static c => c.Delivery).Zip(won).GroupBy(static c => c.First), delivery => Assert.Single(delivery, static c => c.Second));
    }

    [Fact]
    public async Task Chat_delivery_claims_older_than_a_time_are_deleted_and_can_be_claimed_again()
    {
        await Store.ChatDeliveries.TryClaimAsync("slack", ["event:old"], "cog-a", T0, Ct);
        await Store.ChatDeliveries.TryClaimAsync("slack", ["event:new"], "cog-a", T0.AddMinutes(10), Ct);

        Assert.Equal(1, await Store.ChatDeliveries.DeleteClaimedBeforeAsync(T0.AddMinutes(5), Ct));

        Assert.True(await Store.ChatDeliveries.TryClaimAsync("slack", ["event:old"], "cog-b", T0.AddMinutes(11), Ct));
        Assert.False(await Store.ChatDeliveries.TryClaimAsync("slack", ["event:new"], "cog-b", T0.AddMinutes(11), Ct));
    }
}
