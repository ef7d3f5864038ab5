using System.Collections.Concurrent;
using System.Security.Cryptography;
using Cog.Contracts.Relays;

namespace Cog.Runtime.Relays;

/// <summary>An <see cref="IRelayPackageSource"/> held in memory: for tests and the dev mode. Production keeps packages
/// and assignments in the database.</summary>
/// <remarks>Thread-safe.</remarks>
public sealed class InMemoryRelayPackageSource : IRelayPackageSource
{
    readonly ConcurrentDictionary<(string Bundle, string Version), RelayPackage> _packages = new();
    readonly ConcurrentDictionary<(string RelayId, string Bundle, string Version), bool> _assignments = new();

    /// <summary>Adds or replaces the package of <paramref name="bundle"/> <paramref name="version"/> and returns it
    /// (with its digest and size computed from <paramref name="content"/>).</summary>
    public RelayPackage Add(string bundle, string version, PackageFormat format, byte[] content)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(content);
        var copy = (byte[])content.Clone();
        var package = new RelayPackage(format, DigestOf(copy), copy.Length,
            _ => ValueTask.FromResult<Stream>(new MemoryStream(copy, writable: false)));
        _packages[(bundle, version)] = package;
        return package;
    }

    /// <summary>Assigns <paramref name="bundle"/> <paramref name="version"/> to the relay <paramref name="relayId"/>.</summary>
    public void Assign(string relayId, string bundle, string version) => _assignments[(relayId, bundle, version)] = true;

    /// <summary>Removes the assignment of <paramref name="bundle"/> <paramref name="version"/> to <paramref name="relayId"/>.</summary>
    public void Unassign(string relayId, string bundle, string version) => _assignments.TryRemove((relayId, bundle, version), out _);

    /// <inheritdoc />
    public ValueTask<RelayPackageLookup> FindAsync(string relayId, string bundle, string version, CancellationToken cancellationToken)
    {
        if (!_packages.TryGetValue((bundle, version), out var package))
            return ValueTask.FromResult(RelayPackageLookup.NotFound);
        return ValueTask.FromResult(_assignments.ContainsKey((relayId, bundle, version))
            ? RelayPackageLookup.Found(package)
            : RelayPackageLookup.NotAssigned);
    }

    /// <summary>The protocol's digest of <paramref name="content"/>: <c>sha256:</c> and 64 lowercase hexadecimal digits.</summary>
    public static string DigestOf(ReadOnlySpan<byte> content) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
}
