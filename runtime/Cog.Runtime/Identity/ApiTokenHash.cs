using System.Security.Cryptography;
using System.Text;

namespace Cog.Runtime.Identity;

/// <summary>Hashes API tokens for storage and lookup.</summary>
/// <remarks>A token is 256 random bits (<see cref="Relays.RelayToken.Generate"/>), so an unsalted SHA-256 is enough
/// and, being deterministic, lets the store find a token by its hash with an index. Pure; thread-safe.</remarks>
public static class ApiTokenHash
{
    /// <summary><c>sha256:</c> followed by the lower-case hex SHA-256 of the UTF-8 token.</summary>
    public static string Compute(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(token), hash);
        return "sha256:" + Convert.ToHexStringLower(hash);
    }
}
