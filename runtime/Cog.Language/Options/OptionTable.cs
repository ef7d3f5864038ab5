using System.Collections.Frozen;
using System.Collections.Immutable;

namespace Cog.Language.Options;

/// <summary>
/// A command's option definitions prepared for interpretation: looked up by long name and by short flag
/// (case-sensitive). Build one per command (for example when the command is resolved) and reuse it for every
/// input item.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class OptionTable
{
    readonly FrozenDictionary<string, int> _byName;
    readonly FrozenDictionary<string, int> _byShortFlag;

    OptionTable(string commandName, ImmutableArray<OptionDefinition> definitions)
    {
        CommandName = commandName;
        Definitions = definitions;
        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        var byShortFlag = new Dictionary<string, int>(StringComparer.Ordinal);
        var required = new List<int>();
        var counters = ImmutableArray.CreateBuilder<int>();
        for (var i = 0; i < definitions.Length; i++)
        {
            var definition = definitions[i];
            byName.TryAdd(definition.Name, i);
            if (definition.ShortFlag is not null)
            {
                byShortFlag.TryAdd(definition.ShortFlag, i);
            }
            if (definition.Required)
            {
                required.Add(i);
            }
            if (definition.Type == OptionType.Incr)
            {
                counters.Add(i);
            }
        }
        required.Sort((a, b) => string.CompareOrdinal(definitions[a].Name, definitions[b].Name));
        _byName = byName.ToFrozenDictionary(StringComparer.Ordinal);
        _byShortFlag = byShortFlag.ToFrozenDictionary(StringComparer.Ordinal);
        RequiredSlots = [.. required];
        CounterSlots = counters.ToImmutable();
        KnownOptions = OptionErrors.KnownOptions(definitions);
    }

    /// <summary>The qualified command name (<c>bundle:command</c>) used in messages.</summary>
    public string CommandName { get; }

    /// <summary>The definitions, in the order given.</summary>
    public ImmutableArray<OptionDefinition> Definitions { get; }

    /// <summary>Indexes into <see cref="Definitions"/> of required options, sorted by name.</summary>
    internal ImmutableArray<int> RequiredSlots { get; }

    /// <summary>Indexes into <see cref="Definitions"/> of <c>incr</c> options.</summary>
    internal ImmutableArray<int> CounterSlots { get; }

    /// <summary>The option list shown when an unknown option is given (empty when there are none).</summary>
    internal string KnownOptions { get; }

    /// <summary>Prepares <paramref name="definitions"/> of the command <paramref name="commandName"/>.</summary>
    /// <remarks>When two definitions share a name or a short flag, the first one wins; manifest validation
    /// is expected to have rejected such bundles.</remarks>
    public static OptionTable Create(string commandName, IReadOnlyList<OptionDefinition> definitions)
    {
        ArgumentNullException.ThrowIfNull(commandName);
        ArgumentNullException.ThrowIfNull(definitions);
        return new OptionTable(commandName, [.. definitions]);
    }

    /// <summary>Finds the definition an option refers to.</summary>
    /// <remarks>
    /// As in Cog 1.0, long names and short flags share one namespace: <c>--v</c> finds the option whose short flag
    /// is <c>v</c> and <c>-n</c> the option named <c>n</c>. The kind the option was written as is tried first.
    /// </remarks>
    internal bool TryFind(string name, bool isLong, out int slot)
    {
        var (first, second) = isLong ? (_byName, _byShortFlag) : (_byShortFlag, _byName);
        return first.TryGetValue(name, out slot) || second.TryGetValue(name, out slot);
    }
}
