using System.Collections.Immutable;

namespace Cog.Runtime.BuiltIns;

/// <summary>A command's documentation, from its manifest.</summary>
/// <param name="Name">The command name.</param>
/// <param name="Description">One line.</param>
/// <param name="LongDescription">Help text.</param>
/// <param name="Arguments">The argument synopsis (<c>&lt;name&gt;</c>).</param>
/// <param name="Examples">Usage examples.</param>
/// <param name="Notes">Notes.</param>
/// <param name="OutputDescription">What the output is (<c>help --output</c>).</param>
/// <param name="OutputExample">An example of the output (<c>help --output</c>).</param>
/// <param name="Options">The options, in manifest order.</param>
public sealed record CommandDocs(
    string Name,
    string? Description,
    string? LongDescription,
    string? Arguments,
    string? Examples,
    string? Notes,
    string? OutputDescription,
    string? OutputExample,
    ImmutableArray<OptionDocs> Options)
{
    /// <summary>A command with a name only.</summary>
    public static CommandDocs Named(string name) => new(name, null, null, null, null, null, null, null, []);
}
