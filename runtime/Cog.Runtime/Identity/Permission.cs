namespace Cog.Runtime.Identity;

/// <summary>A permission <c>namespace:name</c>: the namespace is a bundle's name (created with the
/// bundle, deleted with it) or <c>site</c> (operator-defined).</summary>
/// <param name="Id">UUID string.</param>
/// <param name="Namespace">A bundle name or <see cref="SiteNamespace"/>.</param>
/// <param name="Name">The name within the namespace.</param>
/// <param name="BundleId">The owning bundle, or <see langword="null"/> for a <c>site</c> permission.</param>
public sealed record Permission(string Id, string Namespace, string Name, string? BundleId)
{
    /// <summary>The operators' namespace.</summary>
    public const string SiteNamespace = "site";

    /// <summary>The fully qualified name, <c>namespace:name</c>.</summary>
    public string FullName => Namespace + ":" + Name;
}
