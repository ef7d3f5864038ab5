namespace Cog.Runtime.Bundles;

/// <summary>A dynamic configuration layer of a bundle.</summary>
/// <param name="BundleId">The bundle.</param>
/// <param name="Layer"><c>base</c>, <c>room/NAME</c> or <c>user/USERNAME</c> (lower-case).</param>
/// <param name="ConfigJson">The layer's key/value object as JSON.</param>
/// <param name="UpdatedAt">When it was last written.</param>
public sealed record ConfigLayer(string BundleId, string Layer, string ConfigJson, DateTimeOffset UpdatedAt)
{
    /// <summary>The base layer's name.</summary>
    public const string Base = "base";
}
