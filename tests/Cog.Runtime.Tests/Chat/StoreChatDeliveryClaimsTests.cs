using Cog.Runtime.Chat;
using Cog.Runtime.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Cog.Runtime.Tests.Chat;

public sealed class StoreChatDeliveryClaimsTests
{
    readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
    readonly RecordingStore _store = new();

    StoreChatDeliveryClaims Claims() => new(_store, "cog-a", _time, NullLogger<StoreChatDeliveryClaims>.Instance);

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_claim_is_the_stores_answer_made_with_the_instance_and_the_time()
    {
        var claims = Claims();
        _store.Answer = false;

        Assert.False(await claims.TryClaimAsync("slack", ["event:Ev1"], Ct));

        Assert.Equal(("slack", "event:Ev1", "cog-a", _time.GetUtcNow()), Assert.Single(_store.Claimed));
    }

    [Fact]
    public async Task Claims_older_than_the_window_are_pruned_at_most_once_a_minute()
    {
        var claims = Claims();
        await claims.TryClaimAsync("slack", ["event:1"], Ct);
        _time.Advance(TimeSpan.FromSeconds(59));
        await claims.TryClaimAsync("slack", ["event:2"], Ct);
        Assert.Empty(_store.Pruned);

        _time.Advance(TimeSpan.FromSeconds(1));
        await claims.TryClaimAsync("slack", ["event:3"], Ct);
        await claims.TryClaimAsync("slack", ["event:4"], Ct);

        Assert.Equal(_time.GetUtcNow() - StoreChatDeliveryClaims.KeepFor, Assert.Single(_store.Pruned));
    }

    [Fact]
    public async Task A_delivery_is_handled_when_the_store_cannot_be_reached()
    {
        _store.Unavailable = true;

        Assert.True(await Claims().TryClaimAsync("slack", ["event:Ev1"], Ct));
    }

    [Fact]
    public async Task A_claim_stands_when_pruning_finds_the_store_unreachable()
    {
        var claims = Claims();
        _time.Advance(TimeSpan.FromMinutes(1));
        _store.PruneUnavailable = true;

        Assert.True(await claims.TryClaimAsync("slack", ["event:Ev1"], Ct));
    }

    sealed class RecordingStore : IChatDeliveryStore
    {
        public bool Answer { get; set; } = true;

        public bool Unavailable { get; set; }

        public bool PruneUnavailable { get; set; }

        public List<(string Provider, string Key, string Instance, DateTimeOffset At)> Claimed { get; } = [];

        public List<DateTimeOffset> Pruned { get; } = [];

        public Task<bool> TryClaimAsync(string provider, IReadOnlyList<string> keys, string instance, DateTimeOffset at, CancellationToken cancellationToken)
        {
            if (Unavailable)
                throw new StoreUnavailableException();
            Claimed.AddRange(keys.Select(k => (provider, k, instance, at)));
            return Task.FromResult(Answer);
        }

        public Task<int> DeleteClaimedBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken)
        {
            if (PruneUnavailable)
                throw new StoreUnavailableException();
            Pruned.Add(before);
            return Task.FromResult(0);
        }
    }
}
