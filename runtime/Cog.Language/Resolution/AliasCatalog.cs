namespace Cog.Language.Resolution;

/// <summary>An immutable set of aliases of one visibility: one user's aliases, or the site aliases.</summary>
/// <remarks>Thread-safe. Each alias is parsed once, when it is stored or loaded, not per resolution.</remarks>
public sealed class AliasCatalog
{
    readonly Dictionary<string, AliasDefinition> _aliases;

    /// <summary>Indexes the aliases by name.</summary>
    /// <exception cref="ArgumentException">Two aliases share a name (names are unique per visibility), or an alias
    /// pipeline has no stages.</exception>
    public AliasCatalog(IEnumerable<AliasDefinition> aliases)
    {
        ArgumentNullException.ThrowIfNull(aliases);
        _aliases = new Dictionary<string, AliasDefinition>(StringComparer.Ordinal);
        foreach (var alias in aliases)
        {
            ArgumentNullException.ThrowIfNull(alias, nameof(aliases));
            if (alias.Pipeline.Stages.IsDefaultOrEmpty)
            {
                throw new ArgumentException($"Alias '{alias.Name}' has no stages.", nameof(aliases));
            }
            if (!_aliases.TryAdd(alias.Name, alias))
            {
                throw new ArgumentException($"Alias '{alias.Name}' appears twice.", nameof(aliases));
            }
            LongestName = Math.Max(LongestName, alias.Name.Length);
        }
    }

    /// <summary>A catalog with no aliases.</summary>
    public static AliasCatalog Empty { get; } = new([]);

    /// <summary>Every alias, in no particular order.</summary>
    public IReadOnlyCollection<AliasDefinition> Aliases => _aliases.Values;

    /// <summary>The length of the longest alias name.</summary>
    internal int LongestName { get; }

    /// <summary>Finds an alias by name.</summary>
    /// <returns>The alias, or <see langword="null"/> when there is none of that name.</returns>
    public AliasDefinition? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _aliases.GetValueOrDefault(name);
    }
}
