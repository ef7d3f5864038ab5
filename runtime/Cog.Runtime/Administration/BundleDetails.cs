using Cog.Runtime.Bundles;
using Cog.Runtime.Relays;

namespace Cog.Runtime.Administration;

/// <summary>A bundle as administrators see it: its versions and the relay groups it is assigned to.</summary>
/// <param name="Bundle">The bundle.</param>
/// <param name="Versions">Every version, in installation order.</param>
/// <param name="RelayGroups">The relay groups the bundle is assigned to, by name.</param>
public sealed record BundleDetails(Bundle Bundle, IReadOnlyList<BundleVersion> Versions, IReadOnlyList<RelayGroup> RelayGroups)
{
    /// <summary>The enabled version, or <see langword="null"/> when the bundle is disabled.</summary>
    public BundleVersion? EnabledVersion => Versions.FirstOrDefault(static v => v.Enabled);
}
