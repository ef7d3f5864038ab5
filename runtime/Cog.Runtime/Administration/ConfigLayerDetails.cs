using Cog.Runtime.Bundles;

namespace Cog.Runtime.Administration;

/// <summary>A dynamic configuration layer of a bundle.</summary>
/// <param name="BundleName">The bundle.</param>
/// <param name="Layer">The stored layer (<c>base</c>, <c>room/NAME</c> or <c>user/NAME</c>, lower-case).</param>
public sealed record ConfigLayerDetails(string BundleName, ConfigLayer Layer)
{
    /// <summary><c>base</c>, <c>room</c> or <c>user</c>.</summary>
    public string Kind => Layer.Layer.IndexOf('/', StringComparison.Ordinal) is var slash and > 0 ? Layer.Layer[..slash] : Layer.Layer;

    /// <summary><c>base</c> for the base layer, otherwise the room's or user's name.</summary>
    public string Name => Layer.Layer.IndexOf('/', StringComparison.Ordinal) is var slash and > 0 ? Layer.Layer[(slash + 1)..] : Layer.Layer;
}
