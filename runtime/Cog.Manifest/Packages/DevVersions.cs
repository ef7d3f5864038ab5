namespace Cog.Manifest.Packages;

/// <summary>The version a bundle served from a dev folder goes by: the manifest's version with the content's digest as
/// semantic-version build metadata (<c>0.1.0+dev.3f2a9c1b7d04</c>).</summary>
/// <remarks>A dev folder changes under the same manifest version at every save. Naming each content by its digest lets
/// the dev relay announce, and the server install, enable and route to, exactly the content the folder holds now:
/// a version name never stands for two different packages, so a relay is never asked for content it does not hold.
/// The relay and the server compute the name with this one function, so they agree.</remarks>
public static class DevVersions
{
    const string Marker = "dev.";
    const string DigestPrefix = "sha256:";

    /// <summary>The dev version of <paramref name="manifestVersion"/> with content <paramref name="digest"/>
    /// (<c>sha256:HEX</c>): <c>VERSION+dev.HEX12</c>, or <c>VERSION.dev.HEX12</c> appended to build metadata the version
    /// already has.</summary>
    public static string Of(string manifestVersion, string digest)
    {
        ArgumentNullException.ThrowIfNull(manifestVersion);
        ArgumentNullException.ThrowIfNull(digest);
        return manifestVersion + (manifestVersion.Contains('+', StringComparison.Ordinal) ? "." : "+") + Suffix(digest);
    }

    /// <summary>Whether <paramref name="version"/> is the dev version of some manifest version with content
    /// <paramref name="digest"/>.</summary>
    public static bool IsDevVersion(string version, string digest)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(digest);
        var suffix = Suffix(digest);
        return version.Length > suffix.Length + 1 && version.EndsWith(suffix, StringComparison.Ordinal)
            && version[^(suffix.Length + 1)] is '+' or '.';
    }

    static string Suffix(string digest)
    {
        var hex = digest.StartsWith(DigestPrefix, StringComparison.Ordinal) ? digest[DigestPrefix.Length..] : digest;
        return Marker + hex[..Math.Min(12, hex.Length)];
    }
}
