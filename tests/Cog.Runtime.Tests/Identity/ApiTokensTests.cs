using System.Text.Json;
using Cog.Runtime.Administration;
using Cog.Runtime.Audit;
using Cog.Runtime.Identity;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cog.Runtime.Tests.Identity;

public class ApiTokensTests
{
    const string Address = "203.0.113.7";

    static CancellationToken Ct => IdentityWorld.Ct;

    [Fact]
    public async Task A_token_is_issued_for_username_and_password_and_stored_only_as_its_hash()
    {
        await using var world = await IdentityWorld.OpenAsync(operable: false);
        var bob = await world.UserAsync("bob", "hunter2");

        var issued = (await world.Tokens.IssueAsync("bob", null, "hunter2", Address, Ct)).Token;

        Assert.NotNull(issued);
        Assert.Equal(43, issued.Value.Length);
        Assert.Equal(bob.Id, issued.User.Id);
        var stored = await world.Store.Tokens.FindByHashAsync(ApiTokenHash.Compute(issued.Value), Ct);
        Assert.NotNull(stored);
        Assert.Equal(bob.Id, stored.UserId);
        Assert.DoesNotContain(issued.Value, stored.TokenHash, StringComparison.Ordinal);
        Assert.Equal(IdentityWorld.Start.AddDays(7), stored.ExpiresAt);
    }

    [Fact]
    public async Task A_token_is_issued_for_an_email_address_and_a_uri_encoded_password()
    {
        await using var world = await IdentityWorld.OpenAsync(operable: false);
        await world.UserAsync("bob", "a b");

        Assert.NotNull((await world.Tokens.IssueAsync(null, "bob@example.com", "a%20b", Address, Ct)).Token);
    }

    [Theory]
    [InlineData("bob", null, "wrong")]
    [InlineData("nobody", null, "hunter2")]
    [InlineData(null, "nobody@example.com", "hunter2")]
    [InlineData(null, null, "hunter2")]
    public async Task Wrong_credentials_get_no_token(string? username, string? email, string password)
    {
        await using var world = await IdentityWorld.OpenAsync(operable: false);
        await world.UserAsync("bob", "hunter2");

        Assert.Null((await world.Tokens.IssueAsync(username, email, password, Address, Ct)).Token);
    }

    [Fact]
    public async Task An_inactive_user_gets_no_token()
    {
        await using var world = await IdentityWorld.OpenAsync(operable: false);
        var bob = await world.UserAsync("bob", "hunter2");
        (await world.Store.Users.UpdateAsync(bob with { Active = false }, Ct)).GetValueOrThrow();

        Assert.Null((await world.Tokens.IssueAsync("bob", null, "hunter2", Address, Ct)).Token);
    }

    [Fact]
    public async Task The_reaper_deletes_expired_tokens_only()
    {
        await using var world = await IdentityWorld.OpenAsync(operable: false);
        await world.UserAsync("bob", "hunter2");
        var old = (await world.Tokens.IssueAsync("bob", null, "hunter2", Address, Ct)).Token;
        world.Time.Advance(TimeSpan.FromDays(3));
        var fresh = (await world.Tokens.IssueAsync("bob", null, "hunter2", Address, Ct)).Token;
        world.Time.Advance(TimeSpan.FromDays(5));

        Assert.Equal(1, await world.Tokens.ReapExpiredAsync(Ct));

        Assert.Null(await world.Store.Tokens.FindByHashAsync(ApiTokenHash.Compute(old!.Value), Ct));
        Assert.NotNull(await world.Store.Tokens.FindByHashAsync(ApiTokenHash.Compute(fresh!.Value), Ct));
    }

    [Fact]
    public async Task The_lifetime_is_configurable()
    {
        await using var world = await IdentityWorld.OpenAsync(operable: false);
        await world.UserAsync("bob", "hunter2");
        var tokens = new ApiTokens(world.Store, world.Passwords, new ApiTokenOptions { Lifetime = TimeSpan.FromHours(1) },
            new SignInThrottle(new SignInThrottleOptions(), world.Time), world.Audit, world.Time, NullLogger<ApiTokens>.Instance);

        var issued = (await tokens.IssueAsync("bob", null, "hunter2", Address, Ct)).Token;

        Assert.Equal(IdentityWorld.Start.AddHours(1), issued!.Token.ExpiresAt);
        Assert.Equal("Invalid credentials", IdentityMessages.InvalidCredentials);
    }

    [Fact]
    public async Task Repeated_failures_lock_the_username_out_at_that_address_until_the_cool_down_without_checking_passwords()
    {
        await using var world = await IdentityWorld.OpenAsync(operable: false);
        await world.UserAsync("bob", "hunter2");
        for (var i = 0; i < 5; i++)
            Assert.Equal(SignInFailure.BadPassword, (await world.Tokens.IssueAsync("bob", null, "guess-" + i, Address, Ct)).Failure);

        var locked = await world.Tokens.IssueAsync("bob", null, "hunter2", Address, Ct);
        var elsewhere = await world.Tokens.IssueAsync("bob", null, "hunter2", "198.51.100.9", Ct);
        world.Time.Advance(TimeSpan.FromMinutes(5));
        var afterCoolDown = await world.Tokens.IssueAsync("bob", null, "hunter2", Address, Ct);

        Assert.Equal((null, SignInFailure.LockedOut, TimeSpan.FromMinutes(5)), (locked.Token, locked.Failure, locked.RetryAfter));
        Assert.NotNull(elsewhere.Token);
        Assert.NotNull(afterCoolDown.Token);
        var failed = await world.Store.Audit.ListAsync(new AuditQuery(Kind: "auth.failed", Limit: 100), Ct);
        Assert.Equal(6, failed.Count);
        Assert.Equal(
            """{"client_address":"203.0.113.7","name":"bob","reason":"locked_out"}""",
            JsonSerializer.Serialize(JsonDocument.Parse(failed[^1].PayloadJson).RootElement.GetProperty("details")));
        Assert.All(failed, record => Assert.Equal("failed", record.Outcome));
        Assert.All(failed, record => Assert.DoesNotContain("guess-", record.PayloadJson, StringComparison.Ordinal));
        Assert.All(failed, record => Assert.DoesNotContain("hunter2", record.PayloadJson, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_address_making_too_many_attempts_is_throttled_whatever_the_username()
    {
        await using var world = await IdentityWorld.OpenAsync(operable: false);
        await world.UserAsync("bob", "hunter2");
        for (var i = 0; i < 20; i++)
            await world.Tokens.IssueAsync("user" + i, null, "guess", Address, Ct);

        var throttled = await world.Tokens.IssueAsync("bob", null, "hunter2", Address, Ct);
        world.Time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal((null, SignInFailure.Throttled, TimeSpan.FromMinutes(1)), (throttled.Token, throttled.Failure, throttled.RetryAfter));
        Assert.NotNull((await world.Tokens.IssueAsync("bob", null, "hunter2", Address, Ct)).Token);
    }

    [Fact]
    public async Task Guessing_one_username_from_many_addresses_is_throttled_except_where_its_owner_signed_in_before()
    {
        await using var world = await IdentityWorld.OpenAsync(operable: false);
        await world.UserAsync("bob", "hunter2");
        Assert.NotNull((await world.Tokens.IssueAsync("bob", null, "hunter2", Address, Ct)).Token);
        for (var i = 0; i < 50; i++)
            Assert.Equal(SignInFailure.BadPassword, (await world.Tokens.IssueAsync("bob", null, "guess", $"198.51.100.{i}", Ct)).Failure);

        var stranger = await world.Tokens.IssueAsync("bob", null, "hunter2", "192.0.2.200", Ct);
        var owner = await world.Tokens.IssueAsync("bob", null, "hunter2", Address, Ct);
        world.Time.Advance(TimeSpan.FromMinutes(15));
        var later = await world.Tokens.IssueAsync("bob", null, "hunter2", "192.0.2.200", Ct);

        Assert.Equal((null, SignInFailure.Throttled, TimeSpan.FromMinutes(15)), (stranger.Token, stranger.Failure, stranger.RetryAfter));
        Assert.NotNull(owner.Token);
        Assert.NotNull(later.Token);
    }
}
