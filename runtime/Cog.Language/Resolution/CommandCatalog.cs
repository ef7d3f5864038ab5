namespace Cog.Language.Resolution;

/// <summary>An immutable snapshot of the installed bundles, indexed for command resolution.</summary>
/// <remarks>
/// Build one per change of the bundle tables (install, enable, disable, uninstall) and share it: it is
/// thread-safe, and every pipeline resolves against one consistent snapshot. Lookups are
/// dictionary reads; nothing is rebuilt per resolution.
/// </remarks>
public sealed class CommandCatalog
{
    readonly Dictionary<string, InstalledBundle> _bundles;
    readonly Dictionary<string, InstalledBundle[]> _bundlesByCommand;

    /// <summary>Indexes the installed bundles.</summary>
    /// <exception cref="ArgumentException">Two bundles share a name.</exception>
    public CommandCatalog(IEnumerable<InstalledBundle> bundles)
    {
        ArgumentNullException.ThrowIfNull(bundles);
        _bundles = new Dictionary<string, InstalledBundle>(StringComparer.Ordinal);
        var owners = new Dictionary<string, List<InstalledBundle>>(StringComparer.Ordinal);
        foreach (var bundle in bundles)
        {
            ArgumentNullException.ThrowIfNull(bundle, nameof(bundles));
            if (!_bundles.TryAdd(bundle.Name, bundle))
            {
                throw new ArgumentException($"Bundle '{bundle.Name}' appears twice.", nameof(bundles));
            }
            foreach (var command in bundle.CommandNamesInAnyVersion)
            {
                if (!owners.TryGetValue(command, out var list))
                {
                    owners.Add(command, list = []);
                }
                list.Add(bundle);
                LongestCommandName = Math.Max(LongestCommandName, command.Length);
            }
        }
        _bundlesByCommand = new Dictionary<string, InstalledBundle[]>(owners.Count, StringComparer.Ordinal);
        foreach (var (command, list) in owners)
        {
            var sorted = list.ToArray();
            // Bundle names in messages are sorted by code point, as the original sorts binaries.
            Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
            _bundlesByCommand.Add(command, sorted);
        }
    }

    /// <summary>A catalog with no bundles.</summary>
    public static CommandCatalog Empty { get; } = new([]);

    /// <summary>Every installed bundle, in no particular order.</summary>
    public IReadOnlyCollection<InstalledBundle> Bundles => _bundles.Values;

    /// <summary>The length of the longest command name of any installed version.</summary>
    internal int LongestCommandName { get; }

    /// <summary>Finds an installed bundle by name.</summary>
    /// <returns>The bundle, or <see langword="null"/> when no bundle of that name is installed.</returns>
    public InstalledBundle? FindBundle(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _bundles.GetValueOrDefault(name);
    }

    /// <summary>The installed bundles (enabled or not) with a command of that name in any version, sorted by name.</summary>
    public IReadOnlyList<InstalledBundle> BundlesContaining(string commandName)
    {
        ArgumentNullException.ThrowIfNull(commandName);
        return _bundlesByCommand.TryGetValue(commandName, out var owners) ? owners : [];
    }

    internal InstalledBundle[]? FindOwners(string commandName) => _bundlesByCommand.GetValueOrDefault(commandName);
}
