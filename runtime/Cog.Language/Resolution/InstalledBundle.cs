namespace Cog.Language.Resolution;

/// <summary>An installed bundle as command resolution sees it: its enabled version (if any), that version's
/// commands, and the command names of every installed version.</summary>
/// <remarks>
/// Immutable and thread-safe. A bundle without an enabled version is disabled; it still makes a command name
/// ambiguous (1c), which is why the names of all installed versions are kept.
/// </remarks>
public sealed class InstalledBundle
{
    readonly Dictionary<string, BundleCommand> _commands;
    readonly HashSet<string> _namesInAnyVersion;

    /// <summary>Creates the resolution view of an installed bundle.</summary>
    /// <param name="name">The bundle name.</param>
    /// <param name="enabledVersion">The enabled version, or <see langword="null"/> when the bundle is disabled.</param>
    /// <param name="enabledCommands">The commands of the enabled version; must be empty when the bundle is disabled.</param>
    /// <param name="commandNamesInOtherVersions">Command names of the other installed versions; the enabled
    /// version's names are included automatically, and duplicates are fine.</param>
    /// <exception cref="ArgumentException">The name is empty, a disabled bundle has commands, or two enabled
    /// commands share a name.</exception>
    public InstalledBundle(
        string name,
        string? enabledVersion,
        IEnumerable<BundleCommand> enabledCommands,
        IEnumerable<string>? commandNamesInOtherVersions = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(enabledCommands);
        Name = name;
        EnabledVersion = enabledVersion;
        _commands = new Dictionary<string, BundleCommand>(StringComparer.Ordinal);
        _namesInAnyVersion = new HashSet<string>(StringComparer.Ordinal);
        foreach (var command in enabledCommands)
        {
            ArgumentNullException.ThrowIfNull(command, nameof(enabledCommands));
            if (enabledVersion is null)
            {
                throw new ArgumentException($"Bundle '{name}' is disabled, so it has no enabled commands.", nameof(enabledCommands));
            }
            if (!_commands.TryAdd(command.Name, command))
            {
                throw new ArgumentException($"Bundle '{name}' declares command '{command.Name}' twice.", nameof(enabledCommands));
            }
            _namesInAnyVersion.Add(command.Name);
        }
        if (commandNamesInOtherVersions is not null)
        {
            foreach (var other in commandNamesInOtherVersions)
            {
                ArgumentException.ThrowIfNullOrEmpty(other, nameof(commandNamesInOtherVersions));
                _namesInAnyVersion.Add(other);
            }
        }
    }

    /// <summary>The bundle name.</summary>
    public string Name { get; }

    /// <summary>The enabled version, or <see langword="null"/> when the bundle is disabled.</summary>
    public string? EnabledVersion { get; }

    /// <summary>Whether a version of the bundle is enabled.</summary>
    public bool IsEnabled => EnabledVersion is not null;

    /// <summary>The commands of the enabled version (none when disabled).</summary>
    public IReadOnlyCollection<BundleCommand> Commands => _commands.Values;

    /// <summary>The command names of every installed version, the enabled one included.</summary>
    public IReadOnlyCollection<string> CommandNamesInAnyVersion => _namesInAnyVersion;

    /// <summary>Finds a command of the enabled version.</summary>
    /// <returns>The command, or <see langword="null"/> when the bundle is disabled or its enabled version lacks it.</returns>
    public BundleCommand? FindCommand(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _commands.GetValueOrDefault(name);
    }

    /// <summary>Whether any installed version has a command of that name.</summary>
    public bool HasCommandInAnyVersion(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _namesInAnyVersion.Contains(name);
    }

    /// <inheritdoc/>
    public override string ToString() => EnabledVersion is null ? $"{Name} (disabled)" : $"{Name} {EnabledVersion}";
}
