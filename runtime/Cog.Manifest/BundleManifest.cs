using System.Collections.Immutable;

namespace Cog.Manifest;

/// <summary>A validated bundle manifest (<c>config.yaml</c>), any supported <c>cog_bundle_version</c>.</summary>
/// <param name="ManifestVersion">The <c>cog_bundle_version</c>: 4, 5 or 6.</param>
/// <param name="Name">The bundle name.</param>
/// <param name="Description">The one-line description.</param>
/// <param name="Version">The bundle's own version as written (<c>0.1</c>, <c>1.2.3</c>).</param>
/// <param name="LongDescription">The help text, if any.</param>
/// <param name="Author">The author, if given.</param>
/// <param name="Homepage">The homepage, if given.</param>
/// <param name="Permissions">The permissions the bundle defines, fully qualified (<c>bundle:name</c>), in manifest order.</param>
/// <param name="Templates">Template bodies (Greenbar source) by template name.</param>
/// <param name="Commands">The commands, in manifest order.</param>
/// <param name="Config">The documentation of the bundle's configuration, if given.</param>
/// <param name="Docker">The Docker image of a Cog 1.0 "standard" bundle (versions 4 and 5 only), if given.</param>
/// <param name="Assembly">The relative path of the plugin assembly (version 6), if given.</param>
public sealed record BundleManifest(
    int ManifestVersion,
    string Name,
    string Description,
    string Version,
    string? LongDescription,
    string? Author,
    string? Homepage,
    ImmutableArray<string> Permissions,
    ImmutableDictionary<string, string> Templates,
    ImmutableArray<CommandManifest> Commands,
    BundleConfigDocs? Config,
    DockerImage? Docker,
    string? Assembly)
{
    /// <summary>The command named <paramref name="name"/>, or <see langword="null"/>.</summary>
    public CommandManifest? FindCommand(string name)
    {
        foreach (var command in Commands)
        {
            if (command.Name == name)
            {
                return command;
            }
        }
        return null;
    }
}

/// <summary>The Docker image of a Cog 1.0 "standard" bundle.</summary>
/// <param name="Image">The image name.</param>
/// <param name="Tag">The image tag (<c>latest</c> means: always pull).</param>
/// <param name="Binds">Docker bind strings (<c>/host:/container</c>).</param>
public sealed record DockerImage(string Image, string Tag, ImmutableArray<string> Binds);

/// <summary>Documentation of a bundle's configuration (the manifest's <c>config</c> field).</summary>
/// <param name="Notes">Free text, if given.</param>
/// <param name="Environment">The environment variables the bundle expects.</param>
public sealed record BundleConfigDocs(string? Notes, ImmutableArray<EnvironmentVariableDoc> Environment);

/// <summary>One documented environment variable.</summary>
/// <param name="Name">The variable name.</param>
/// <param name="Description">What it is for, if given.</param>
public sealed record EnvironmentVariableDoc(string Name, string? Description);
