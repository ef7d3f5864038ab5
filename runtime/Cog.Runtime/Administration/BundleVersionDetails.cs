using Cog.Runtime.Bundles;
using Cog.Runtime.Identity;

namespace Cog.Runtime.Administration;

/// <summary>One bundle version with what it defines.</summary>
/// <param name="Bundle">The bundle.</param>
/// <param name="Version">The version.</param>
/// <param name="Commands">The version's commands, by name.</param>
/// <param name="Permissions">The bundle's permissions (<c>bundle:name</c>), by name.</param>
public sealed record BundleVersionDetails(Bundle Bundle, BundleVersion Version, IReadOnlyList<CommandDetails> Commands, IReadOnlyList<Permission> Permissions);
