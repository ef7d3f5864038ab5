namespace Cog.Runtime.Bundles;

/// <summary>A command as one bundle version defines it.</summary>
/// <param name="CommandId">The command.</param>
/// <param name="BundleVersionId">The version.</param>
/// <param name="Name">The command's name.</param>
/// <param name="Description">The manifest's description.</param>
/// <param name="Options">The options, in manifest order.</param>
public sealed record CommandVersion(
    string CommandId, string BundleVersionId, string Name, string? Description, IReadOnlyList<CommandOption> Options);
