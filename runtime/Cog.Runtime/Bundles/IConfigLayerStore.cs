using Cog.Runtime.Storage;

namespace Cog.Runtime.Bundles;

/// <summary>Dynamic configuration layers per bundle (managed mode).</summary>
/// <remarks>Thread-safe. Expected failures are <see cref="StoreResult{T}"/> values.</remarks>
public interface IConfigLayerStore
{
    /// <summary>Adds or replaces a layer. NotFound for an unknown bundle.</summary>
    Task<StoreResult<ConfigLayer>> SetAsync(ConfigLayer layer, CancellationToken cancellationToken);

    /// <summary>One layer, or <see langword="null"/>.</summary>
    Task<ConfigLayer?> GetAsync(string bundleId, string layer, CancellationToken cancellationToken);

    /// <summary>A bundle's layers, by name.</summary>
    Task<IReadOnlyList<ConfigLayer>> ListAsync(string bundleId, CancellationToken cancellationToken);

    /// <summary>Deletes a layer. NotFound when there is none.</summary>
    Task<StoreResult<Done>> DeleteAsync(string bundleId, string layer, CancellationToken cancellationToken);
}
