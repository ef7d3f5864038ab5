using System.Security.Cryptography;
using BCrypt.Net;
using BCryptHash = BCrypt.Net.BCrypt;

namespace Cog.Runtime.Identity;

/// <summary>The slow hash of user passwords: bcrypt over the password's SHA-384 (so passwords
/// longer than bcrypt's 72 bytes are not cut short), with a configurable work factor.</summary>
/// <remarks>
/// <para><see cref="Verify"/> also accepts the URI-decoded form of the password (Cog 1.0 retried with
/// <c>URI.decode</c>, for clients that sent the password percent-encoded).</para>
/// <para><see cref="VerifyNothing"/> spends the time of a verification against a dummy hash, so an unknown user costs
/// what a wrong password costs and timing does not tell which usernames exist.</para>
/// <para>Thread-safe.</para>
/// </remarks>
public sealed class PasswordHasher
{
    readonly int _workFactor;
    readonly Lazy<string> _dummy;

    /// <summary>A hasher making hashes with <paramref name="options"/>' work factor.</summary>
    public PasswordHasher(PasswordHasherOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.WorkFactor, PasswordHasherOptions.MinimumWorkFactor);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.WorkFactor, PasswordHasherOptions.MaximumWorkFactor);
        _workFactor = options.WorkFactor;
        _dummy = new Lazy<string>(() => Hash(Convert.ToHexString(RandomNumberGenerator.GetBytes(16))));
    }

    /// <summary>A new salted hash of <paramref name="password"/> (<c>$2a$…</c>, 60 characters).</summary>
    public string Hash(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        return BCryptHash.EnhancedHashPassword(password, _workFactor, HashType.SHA384);
    }

    /// <summary>Whether <paramref name="password"/>, or its URI-decoded form, is the password hashed in
    /// <paramref name="hash"/>. <see langword="false"/> for a malformed hash.</summary>
    public bool Verify(string password, string hash)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(hash);
        if (Matches(password, hash))
            return true;
        var decoded = Decode(password);
        return decoded is not null && Matches(decoded, hash);
    }

    /// <summary>Spends the time of <see cref="Verify"/> for <paramref name="password"/> with no stored hash (an unknown
    /// user). Always <see langword="false"/>.</summary>
    public bool VerifyNothing(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        _ = Verify(password, _dummy.Value);
        return false;
    }

    static bool Matches(string password, string hash)
    {
        try
        {
            return BCryptHash.EnhancedVerify(password, hash, HashType.SHA384);
        }
        catch (SaltParseException)
        {
            return false;
        }
        catch (HashInformationException)
        {
            return false;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The URI-decoded password when it differs, else <see langword="null"/>.</summary>
    static string? Decode(string password)
    {
        if (!password.Contains('%', StringComparison.Ordinal))
            return null;
        var decoded = Uri.UnescapeDataString(password);
        return decoded == password ? null : decoded;
    }
}
