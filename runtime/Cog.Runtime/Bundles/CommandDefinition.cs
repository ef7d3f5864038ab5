namespace Cog.Runtime.Bundles;

/// <summary>A command of a manifest, as <see cref="BundleInstall"/> carries it.</summary>
/// <param name="Name">The command's name.</param>
/// <param name="Description">Optional.</param>
/// <param name="Options">The options, in manifest order.</param>
public sealed record CommandDefinition(string Name, string? Description, IReadOnlyList<CommandOption> Options);
