using Cog.Contracts.Relays;

namespace Cog.Runtime.Relays;

/// <summary>A bundle package file a relay may download.</summary>
/// <param name="Format">An archive (ZIP) or a manifest alone (YAML).</param>
/// <param name="Digest">The SHA-256 digest of the file (<c>sha256:</c> and 64 lowercase hexadecimal digits), as in the
/// relay's assignments.</param>
/// <param name="Size">The file's size in bytes.</param>
/// <param name="OpenReadAsync">Opens the file for reading; the caller disposes the stream.</param>
public sealed record RelayPackage(PackageFormat Format, string Digest, long Size, Func<CancellationToken, ValueTask<Stream>> OpenReadAsync);

/// <summary>Whether a package was found for a relay.</summary>
public enum RelayPackageStatus
{
    /// <summary>The package exists and is assigned to the relay.</summary>
    Found,

    /// <summary>The package exists but is not assigned to the relay.</summary>
    NotAssigned,

    /// <summary>There is no such bundle version, or it has no package.</summary>
    NotFound,
}

/// <summary>The answer of <see cref="IRelayPackageSource.FindAsync"/>.</summary>
/// <param name="Status">Found, not assigned, or not found.</param>
/// <param name="Package">The package when <paramref name="Status"/> is <see cref="RelayPackageStatus.Found"/>.</param>
public sealed record RelayPackageLookup(RelayPackageStatus Status, RelayPackage? Package)
{
    /// <summary>No such package.</summary>
    public static RelayPackageLookup NotFound { get; } = new(RelayPackageStatus.NotFound, null);

    /// <summary>The package exists but is not assigned to the relay.</summary>
    public static RelayPackageLookup NotAssigned { get; } = new(RelayPackageStatus.NotAssigned, null);

    /// <summary>The package, assigned to the relay.</summary>
    public static RelayPackageLookup Found(RelayPackage package)
    {
        ArgumentNullException.ThrowIfNull(package);
        return new(RelayPackageStatus.Found, package);
    }
}
