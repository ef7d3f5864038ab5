using Cog.Contracts.Relays;
using Cog.Manifest;

namespace Cog.Integration.Tests.Support;

/// <summary>A bundle version whose package the server serves: what an assignment and a dispatch name.</summary>
sealed record PublishedBundle(BundleManifest Manifest, string Digest, long Size, PackageFormat Format)
{
    public string Name => Manifest.Name;

    public string Version => Manifest.Version;
}
