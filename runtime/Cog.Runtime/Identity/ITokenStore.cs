using Cog.Runtime.Storage;

namespace Cog.Runtime.Identity;

/// <summary>REST API tokens, by hash only.</summary>
/// <remarks>Thread-safe. The store never sees a token, only <see cref="ApiTokenHash.Compute"/> of it.</remarks>
public interface ITokenStore
{
    /// <summary>Stores a token. NotFound for an unknown user; Duplicate for a hash that exists.</summary>
    Task<StoreResult<ApiToken>> CreateAsync(ApiToken token, CancellationToken cancellationToken);

    /// <summary>The token with this hash (expired or not: the caller tells "token expired" apart), or
    /// <see langword="null"/>.</summary>
    Task<ApiToken?> FindByHashAsync(string tokenHash, CancellationToken cancellationToken);

    /// <summary>A user's tokens, newest first.</summary>
    Task<IReadOnlyList<ApiToken>> ListForUserAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Deletes a token. NotFound when there is none.</summary>
    Task<StoreResult<Done>> DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>Deletes every token that expired at or before <paramref name="now"/> (the reaper) and returns how many.</summary>
    Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
