using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Cog.Manifest;

/// <summary>The outcome of loading a manifest: the model when it is valid, otherwise every error found; and the
/// warnings, which do not make it invalid.</summary>
/// <param name="Manifest">The manifest, or <see langword="null"/> when there are errors.</param>
/// <param name="Errors">Every error, ordered by line and column; empty exactly when <paramref name="Manifest"/> is set.</param>
/// <param name="Warnings">What is accepted but should be fixed (a version 4 or 5 manifest giving a key twice), ordered
/// by line and column; every tool that reads a manifest shows them, and the server stores them with the version.</param>
public sealed record ManifestResult(BundleManifest? Manifest, ImmutableArray<ManifestError> Errors, ImmutableArray<ManifestError> Warnings)
{
    /// <summary>A result without warnings.</summary>
    public ManifestResult(BundleManifest? manifest, ImmutableArray<ManifestError> errors)
        : this(manifest, errors, [])
    {
    }

    /// <summary>Whether the manifest is valid.</summary>
    [MemberNotNullWhen(true, nameof(Manifest))]
    public bool Succeeded => Manifest is not null;
}
