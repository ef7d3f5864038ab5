using Cog.Runtime.Storage;

namespace Cog.Runtime.Triggers;

/// <summary>Triggers.</summary>
/// <remarks>Thread-safe. Expected failures are <see cref="StoreResult{T}"/> values.</remarks>
public interface ITriggerStore
{
    /// <summary>Adds a trigger. Duplicate when the name is taken.</summary>
    Task<StoreResult<Trigger>> CreateAsync(Trigger trigger, CancellationToken cancellationToken);

    /// <summary>The trigger with this id, or <see langword="null"/>.</summary>
    Task<Trigger?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>The trigger with this name, or <see langword="null"/>.</summary>
    Task<Trigger?> FindByNameAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every trigger, by name.</summary>
    Task<IReadOnlyList<Trigger>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Replaces a trigger's fields (matched by id). NotFound, Duplicate.</summary>
    Task<StoreResult<Trigger>> UpdateAsync(Trigger trigger, CancellationToken cancellationToken);

    /// <summary>Deletes a trigger. NotFound.</summary>
    Task<StoreResult<Done>> DeleteAsync(string id, CancellationToken cancellationToken);
}
