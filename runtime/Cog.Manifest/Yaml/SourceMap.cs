using Cog.Language.Text;

namespace Cog.Manifest.Yaml;

/// <summary>Where a value of the document is: the value itself, and the key naming it when it is a map member.</summary>
/// <param name="Value">Where the value starts.</param>
/// <param name="Key">Where the key naming it starts, for map members.</param>
/// <param name="PlainText">The text of an unquoted scalar that YAML typed as a number, boolean or null (for "write it in quotes" hints).</param>
readonly record struct NodeLocation(SourcePosition Value, SourcePosition? Key, string? PlainText = null);

/// <summary>Maps the JSON pointer of every value read from YAML to its place in the text.</summary>
sealed class SourceMap
{
    readonly Dictionary<string, NodeLocation> _locations = new(StringComparer.Ordinal);

    public void Add(string pointer, NodeLocation location) => _locations[pointer] = location;

    /// <summary>
    /// The location of <paramref name="pointer"/>, or of its nearest ancestor that has one (values copied from an
    /// alias, and values the schema names but the document lacks, have none of their own).
    /// </summary>
    public NodeLocation Find(string pointer)
    {
        var current = pointer;
        while (true)
        {
            if (_locations.TryGetValue(current, out var location))
            {
                return location;
            }
            if (current.Length == 0)
            {
                return new NodeLocation(SourcePosition.Start, null);
            }
            current = JsonPointers.Parent(current);
        }
    }

    /// <summary>Where to point for an error about the value itself (its text).</summary>
    public SourcePosition ValuePosition(string pointer) => Find(pointer).Value;

    /// <summary>Where to point for an error about a member's presence or shape: its key when it has one.</summary>
    public SourcePosition KeyPosition(string pointer)
    {
        var location = Find(pointer);
        return location.Key ?? location.Value;
    }
}
