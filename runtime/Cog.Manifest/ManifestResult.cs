using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Cog.Manifest;

/// <summary>The outcome of loading a manifest: the model when it is valid, otherwise every error found.</summary>
/// <param name="Manifest">The manifest, or <see langword="null"/> when there are errors.</param>
/// <param name="Errors">Every error, ordered by line and column; empty exactly when <paramref name="Manifest"/> is set.</param>
public sealed record ManifestResult(BundleManifest? Manifest, ImmutableArray<ManifestError> Errors)
{
    /// <summary>Whether the manifest is valid.</summary>
    [MemberNotNullWhen(true, nameof(Manifest))]
    public bool Succeeded => Manifest is not null;
}
