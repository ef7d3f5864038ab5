using Cog.Language.Options;

namespace Cog.Language.Resolution;

/// <summary>A command of a bundle's enabled version, as command resolution needs it.</summary>
/// <param name="Name">The command name, unique within its bundle version.</param>
/// <param name="Options">The options the command declares; option interpretation uses them.</param>
public sealed record BundleCommand(string Name, IReadOnlyList<OptionDefinition> Options);
