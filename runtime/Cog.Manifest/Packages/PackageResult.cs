using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Cog.Manifest.Packages;

/// <summary>The outcome of building or unpacking a bundle package: its contents, or why it failed.</summary>
/// <param name="Contents">What the package holds, or <see langword="null"/> on failure.</param>
/// <param name="Error">The failure (a <see cref="PackageErrors"/> message), or <see langword="null"/> on success.</param>
/// <param name="ManifestErrors">The manifest's own errors when <paramref name="Error"/> is <see cref="PackageErrors.InvalidManifest"/>; otherwise empty.</param>
public sealed record PackageResult(PackageContents? Contents, string? Error, ImmutableArray<ManifestError> ManifestErrors)
{
    /// <summary>Whether the package was built or unpacked.</summary>
    [MemberNotNullWhen(true, nameof(Contents))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Contents is not null;

    internal static PackageResult Failure(string error) => new(null, error, []);

    internal static PackageResult Failure(ManifestResult manifest) => new(null, PackageErrors.InvalidManifest, manifest.Errors);
}

/// <summary>A valid bundle package.</summary>
/// <param name="Manifest">Its validated manifest.</param>
/// <param name="Digest">The package file's digest, <c>sha256:</c> and 64 lowercase hexadecimal digits.</param>
/// <param name="Size">The package file's size in bytes.</param>
/// <param name="Files">The files it holds, relative paths with <c>/</c>, in ordinal order.</param>
public sealed record PackageContents(BundleManifest Manifest, string Digest, long Size, ImmutableArray<string> Files);
