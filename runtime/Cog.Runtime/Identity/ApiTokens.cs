using Cog.Runtime.Relays;
using Cog.Runtime.Storage;

namespace Cog.Runtime.Identity;

/// <summary>Issues REST API tokens for a username or email address and password (reference §4.4), and reaps expired
/// ones.</summary>
/// <remarks>
/// <para>A token is 256 random bits (<see cref="RelayToken.Generate"/>), returned once and stored only as
/// <see cref="ApiTokenHash.Compute"/> of it, expiring after <see cref="ApiTokenOptions.Lifetime"/>.</para>
/// <para>Unknown user, unknown email, inactive user and wrong password all give the same answer
/// (<see langword="null"/>: "Invalid credentials") after the same work: an unknown user is verified against a dummy
/// hash (<see cref="PasswordHasher.VerifyNothing"/>).</para>
/// <para>Thread-safe.</para>
/// </remarks>
public sealed class ApiTokens(IStore store, PasswordHasher passwords, ApiTokenOptions options, TimeProvider time)
{
    /// <summary>A new token for the user named by <paramref name="username"/> (or, when it is <see langword="null"/>,
    /// by <paramref name="emailAddress"/>) whose password is <paramref name="password"/>.</summary>
    /// <returns>The token, or <see langword="null"/> for invalid credentials.</returns>
    public async Task<IssuedToken?> IssueAsync(string? username, string? emailAddress, string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(password);
        var user = username is not null ? await store.Users.FindByUsernameAsync(username, cancellationToken).ConfigureAwait(false)
            : emailAddress is not null ? await store.Users.FindByEmailAsync(emailAddress, cancellationToken).ConfigureAwait(false)
            : null;
        if (user is null)
        {
            passwords.VerifyNothing(password);
            return null;
        }
        if (!passwords.Verify(password, user.PasswordHash) || !user.Active)
            return null;

        var value = RelayToken.Generate();
        var now = time.GetUtcNow();
        var token = new ApiToken(StoreId.New(), user.Id, ApiTokenHash.Compute(value), now, now + options.Lifetime);
        var stored = await store.Tokens.CreateAsync(token, cancellationToken).ConfigureAwait(false);
        // NotFound here means the user was deleted between the lookup and the insert: their credentials are gone.
        return stored.IsSuccess ? new IssuedToken(value, stored.Value!, user) : null;
    }

    /// <summary>Deletes every token that has expired (the daily reaper of reference §4.4); returns how many.</summary>
    public Task<int> ReapExpiredAsync(CancellationToken cancellationToken) =>
        store.Tokens.DeleteExpiredAsync(time.GetUtcNow(), cancellationToken);
}
