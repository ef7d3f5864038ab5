using Cog.Runtime.Administration;
using Cog.Runtime.Identity;

namespace Cog.Runtime.Tests.Identity;

public class ApiTokensTests
{
    static CancellationToken Ct => IdentityWorld.Ct;

    [Fact]
    public async Task A_token_is_issued_for_username_and_password_and_stored_only_as_its_hash()
    {
        await using var world = await IdentityWorld.OpenAsync(operable: false);
        var bob = await world.UserAsync("bob", "hunter2");

        var issued = await world.Tokens.IssueAsync("bob", null, "hunter2", Ct);

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

        Assert.NotNull(await world.Tokens.IssueAsync(null, "bob@example.com", "a%20b", Ct));
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

        Assert.Null(await world.Tokens.IssueAsync(username, email, password, Ct));
    }

    [Fact]
    public async Task An_inactive_user_gets_no_token()
    {
        await using var world = await IdentityWorld.OpenAsync(operable: false);
        var bob = await world.UserAsync("bob", "hunter2");
        (await world.Store.Users.UpdateAsync(bob with { Active = false }, Ct)).GetValueOrThrow();

        Assert.Null(await world.Tokens.IssueAsync("bob", null, "hunter2", Ct));
    }

    [Fact]
    public async Task The_reaper_deletes_expired_tokens_only()
    {
        await using var world = await IdentityWorld.OpenAsync(operable: false);
        await world.UserAsync("bob", "hunter2");
        var old = await world.Tokens.IssueAsync("bob", null, "hunter2", Ct);
        world.Time.Advance(TimeSpan.FromDays(3));
        var fresh = await world.Tokens.IssueAsync("bob", null, "hunter2", Ct);
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
        var tokens = new ApiTokens(world.Store, world.Passwords, new ApiTokenOptions { Lifetime = TimeSpan.FromHours(1) }, world.Time);

        var issued = await tokens.IssueAsync("bob", null, "hunter2", Ct);

        Assert.Equal(IdentityWorld.Start.AddHours(1), issued!.Token.ExpiresAt);
        Assert.Equal("Invalid credentials", IdentityMessages.InvalidCredentials);
    }
}
