using Cog.Runtime.Storage;

namespace Cog.Runtime.Pipeline;

/// <summary>User and site aliases.</summary>
/// <remarks>Thread-safe. Expected failures are <see cref="StoreResult{T}"/> values.</remarks>
public interface IAliasStore
{
    /// <summary>Adds an alias. Duplicate when the owner (or the site) has one of that name; NotFound for an unknown owner.</summary>
    Task<StoreResult<Alias>> CreateAsync(Alias alias, CancellationToken cancellationToken);

    /// <summary>The alias with this id, or <see langword="null"/>.</summary>
    Task<Alias?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>The alias <paramref name="name"/> of a user, or (<paramref name="ownerUserId"/> <see langword="null"/>)
    /// the site alias, or <see langword="null"/>.</summary>
    Task<Alias?> FindAsync(string name, string? ownerUserId, CancellationToken cancellationToken);

    /// <summary>A user's aliases, or (<see langword="null"/>) the site aliases, by name.</summary>
    Task<IReadOnlyList<Alias>> ListAsync(string? ownerUserId, CancellationToken cancellationToken);

    /// <summary>Replaces an alias's name and pipeline (matched by id; the owner does not change). NotFound, Duplicate.</summary>
    Task<StoreResult<Alias>> UpdateAsync(Alias alias, CancellationToken cancellationToken);

    /// <summary>Deletes an alias. NotFound.</summary>
    Task<StoreResult<Done>> DeleteAsync(string id, CancellationToken cancellationToken);
}
