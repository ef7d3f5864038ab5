using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Cog.Runtime.Relays;

/// <summary>Generates relay tokens and hashes and verifies them.</summary>
/// <remarks>
/// <para>A token is 32 random bytes from <see cref="RandomNumberGenerator"/> (256 bits of entropy), written in
/// base64url without padding (43 characters, safe in an MQTT password, an HTTP basic-auth header and a shell).</para>
/// <para>A hash is <c>sha256$SALT$HASH</c>: a 16-byte random salt and SHA-256(salt ‖ UTF-8 token), both in base64
/// (standard alphabet, padded). A single fast hash is adequate here, unlike for passwords: slow hashes (PBKDF2,
/// Argon2) exist to make guessing <em>low-entropy</em> secrets expensive, and nobody can enumerate 2^256 random
/// tokens however fast the hash. The salt only keeps equal tokens from having equal hashes. A fast hash also
/// matters because the broker checks a token on every connection attempt, so a slow one would hand an attacker a
/// cheap way to burn the server's CPU.</para>
/// <para>Verification compares with <see cref="CryptographicOperations.FixedTimeEquals"/>, and costs the same for a
/// malformed stored hash (see <see cref="VerifyNothing"/> for unknown relays), so timing reveals nothing.</para>
/// <para>Pure functions; thread-safe.</para>
/// </remarks>
public static class RelayToken
{
    /// <summary>The scheme prefix of every hash this class writes.</summary>
    public const string Scheme = "sha256";

    const int TokenBytes = 32;
    const int SaltBytes = 16;
    const int HashBytes = 32;

    /// <summary>A new random token (base64url, 43 characters). Show it once; store only <see cref="Hash"/>.</summary>
    public static string Generate()
    {
        Span<byte> bytes = stackalloc byte[TokenBytes];
        RandomNumberGenerator.Fill(bytes);
        var token = Base64Url.EncodeToString(bytes);
        CryptographicOperations.ZeroMemory(bytes);
        return token;
    }

    /// <summary>The salted hash of <paramref name="token"/>, e.g. <c>sha256$3q2+7w==...$n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=</c>.</summary>
    public static string Hash(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        Span<byte> salt = stackalloc byte[SaltBytes];
        RandomNumberGenerator.Fill(salt);
        Span<byte> hash = stackalloc byte[HashBytes];
        Compute(salt, token, hash);
        return $"{Scheme}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>Whether <paramref name="token"/> is the token whose hash is <paramref name="tokenHash"/>.</summary>
    /// <returns><see langword="false"/> for a wrong token, and for a malformed or foreign-scheme hash.</returns>
    public static bool Verify(string? token, string? tokenHash)
    {
        Span<byte> salt = stackalloc byte[SaltBytes];
        Span<byte> expected = stackalloc byte[HashBytes];
        Span<byte> actual = stackalloc byte[HashBytes];
        var wellFormed = TryParse(tokenHash, salt, expected);
        Compute(salt, token ?? "", actual);
        return CryptographicOperations.FixedTimeEquals(actual, expected) & wellFormed & token is not null;
    }

    /// <summary>Spends the time of one <see cref="Verify"/> without a stored hash, so an unknown relay id takes as
    /// long to refuse as a wrong token. Always <see langword="false"/>.</summary>
    public static bool VerifyNothing(string? token) => Verify(token, null);

    static void Compute(ReadOnlySpan<byte> salt, string token, Span<byte> destination)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(salt);
        var tokenBytes = Encoding.UTF8.GetBytes(token);
        sha.AppendData(tokenBytes);
        CryptographicOperations.ZeroMemory(tokenBytes);
        sha.GetHashAndReset(destination);
    }

    static bool TryParse(string? tokenHash, Span<byte> salt, Span<byte> hash)
    {
        if (tokenHash is null || !tokenHash.StartsWith(Scheme + "$", StringComparison.Ordinal))
            return false;
        var rest = tokenHash.AsSpan(Scheme.Length + 1);
        var dollar = rest.IndexOf('$');
        return dollar >= 0
            && Convert.TryFromBase64Chars(rest[..dollar], salt, out var saltLength) && saltLength == SaltBytes
            && Convert.TryFromBase64Chars(rest[(dollar + 1)..], hash, out var hashLength) && hashLength == HashBytes;
    }
}
