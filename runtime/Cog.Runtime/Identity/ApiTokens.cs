using Cog.Runtime.Administration;
using Cog.Runtime.Relays;
using Cog.Runtime.Storage;
using Microsoft.Extensions.Logging;

namespace Cog.Runtime.Identity;

/// <summary>Issues REST API tokens for a username or email address and password, and reaps expired
/// ones.</summary>
/// <remarks>
/// <para>A token is 256 random bits (<see cref="RelayToken.Generate"/>), returned once and stored only as
/// <see cref="ApiTokenHash.Compute"/> of it, expiring after <see cref="ApiTokenOptions.Lifetime"/>.</para>
/// <para>Unknown user, unknown email, inactive user and wrong password all give the same answer
/// (<see langword="null"/>: "Invalid credentials") after the same work: an unknown user is verified against a dummy
/// hash (<see cref="PasswordHasher.VerifyNothing"/>).</para>
/// <para>Every attempt first goes through the <see cref="SignInThrottle"/>: a throttled or locked-out attempt is refused
/// before anything is looked up or hashed (the slow hash is what password guessing would exhaust). Every failed
/// sign-in is recorded in the audit log (kind <c>auth.failed</c>: the username or email address tried, the client
/// address and the reason; never the password) and logged, before the answer goes out.</para>
/// <para>Thread-safe.</para>
/// </remarks>
public sealed class ApiTokens(IStore store, PasswordHasher passwords, ApiTokenOptions options, SignInThrottle throttle, AdminAudit audit,
    TimeProvider time, ILogger<ApiTokens> logger)
{
    /// <summary>A new token for the user named by <paramref name="username"/> (or, when it is <see langword="null"/>,
    /// by <paramref name="emailAddress"/>) whose password is <paramref name="password"/>, asked for from
    /// <paramref name="clientAddress"/>.</summary>
    /// <returns>The token, or why there is none (and, when throttled or locked out, how long to wait).</returns>
    public async Task<SignInResult> IssueAsync(string? username, string? emailAddress, string password, string clientAddress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(clientAddress);
        var name = username ?? emailAddress ?? "";
        var (refusal, retryAfter) = throttle.Admit(name, clientAddress);
        if (refusal != SignInFailure.None)
            return await FailAsync(name, clientAddress, refusal, retryAfter, cancellationToken).ConfigureAwait(false);

        var user = username is not null ? await store.Users.FindByUsernameAsync(username, cancellationToken).ConfigureAwait(false)
            : emailAddress is not null ? await store.Users.FindByEmailAsync(emailAddress, cancellationToken).ConfigureAwait(false)
            : null;
        if (user is null)
        {
            passwords.VerifyNothing(password);
            throttle.Failed(name, clientAddress);
            return await FailAsync(name, clientAddress, SignInFailure.UnknownUser, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        }
        var failure = !passwords.Verify(password, user.PasswordHash) ? SignInFailure.BadPassword
            : !user.Active ? SignInFailure.Inactive
            : SignInFailure.None;
        if (failure != SignInFailure.None)
        {
            throttle.Failed(name, clientAddress);
            return await FailAsync(name, clientAddress, failure, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        }
        throttle.Succeeded(name, clientAddress);

        var value = RelayToken.Generate();
        var now = time.GetUtcNow();
        var token = new ApiToken(StoreId.New(), user.Id, ApiTokenHash.Compute(value), now, now + options.Lifetime);
        var stored = await store.Tokens.CreateAsync(token, cancellationToken).ConfigureAwait(false);
        // NotFound here means the user was deleted between the lookup and the insert: their credentials are gone.
        return stored.IsSuccess
            ? new SignInResult(new IssuedToken(value, stored.Value!, user), SignInFailure.None, TimeSpan.Zero)
            : await FailAsync(name, clientAddress, SignInFailure.UnknownUser, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
    }

    async Task<SignInResult> FailAsync(string name, string clientAddress, SignInFailure reason, TimeSpan retryAfter, CancellationToken cancellationToken)
    {
        var reasonName = ReasonName(reason);
        SignInLog.Failed(logger, name, clientAddress, reasonName);
        await audit.RecordAsync(null, "api", "auth.failed", "user:" + name, "failed", new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["name"] = name,
            ["client_address"] = clientAddress,
            ["reason"] = reasonName,
        }, cancellationToken).ConfigureAwait(false);
        return new SignInResult(null, reason, retryAfter);
    }

    static string ReasonName(SignInFailure reason) => reason switch
    {
        SignInFailure.UnknownUser => "unknown_user",
        SignInFailure.BadPassword => "bad_password",
        SignInFailure.Inactive => "inactive",
        SignInFailure.LockedOut => "locked_out",
        _ => "throttled",
    };

    /// <summary>Deletes every token that has expired (Cog 1.0's daily reaper); returns how many.</summary>
    public Task<int> ReapExpiredAsync(CancellationToken cancellationToken) =>
        store.Tokens.DeleteExpiredAsync(time.GetUtcNow(), cancellationToken);
}

/// <summary>The answer to a sign-in.</summary>
/// <param name="Token">The new token, or <see langword="null"/> when the sign-in failed.</param>
/// <param name="Failure">Why it failed (<see cref="SignInFailure.None"/> when it did not).</param>
/// <param name="RetryAfter">When throttled or locked out: how long until an attempt is admitted again.</param>
public sealed record SignInResult(IssuedToken? Token, SignInFailure Failure, TimeSpan RetryAfter)
{
    /// <summary>Whether the attempt was refused before any password was checked.</summary>
    public bool IsThrottled => Failure is SignInFailure.LockedOut or SignInFailure.Throttled;
}

/// <summary>The sign-in's log events. Never the password.</summary>
static partial class SignInLog
{
    [LoggerMessage(1301, LogLevel.Warning, "Failed sign-in as '{Name}' from {ClientAddress}: {Reason}")]
    public static partial void Failed(ILogger logger, string name, string clientAddress, string reason);
}
