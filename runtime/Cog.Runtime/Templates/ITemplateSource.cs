using System.Collections.Immutable;

namespace Cog.Runtime.Templates;

/// <summary>Where the composer finds a bundle version's templates (the template is looked up in the
/// bundle version that produced the output).</summary>
/// <remarks>Implementations are thread-safe and cache: this is called for every reply.</remarks>
public interface ITemplateSource
{
    /// <summary>The templates of <paramref name="bundle"/> at <paramref name="version"/>, or <see langword="null"/> when
    /// that version is not installed.</summary>
    ValueTask<BundleTemplates?> FindAsync(string bundle, string version, CancellationToken cancellationToken);
}

/// <summary>A bundle version's templates.</summary>
/// <param name="Bundle">The bundle name.</param>
/// <param name="Version">The version.</param>
/// <param name="Dialect">What they are written in: Greenbar for manifest versions 4 and 5, Liquid for 6.</param>
/// <param name="Bodies">Template sources by name.</param>
public sealed record BundleTemplates(string Bundle, string Version, TemplateDialect Dialect, ImmutableDictionary<string, string> Bodies)
{
    /// <summary>The template called <paramref name="name"/>: the exact name, else the name with <c>-</c> written as
    /// <c>_</c> (manifest template names cannot hold hyphens, commands' names can: <c>rule-list</c> finds
    /// <c>rule_list</c>). <see langword="null"/> when there is none.</summary>
    public (string Name, string Source)? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Bodies.TryGetValue(name, out var source))
            return (name, source);
        var underscored = name.Replace('-', '_');
        return Bodies.TryGetValue(underscored, out source) ? (underscored, source) : null;
    }
}
