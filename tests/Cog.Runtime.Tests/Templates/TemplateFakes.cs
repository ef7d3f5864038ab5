using System.Collections.Immutable;
using Cog.Runtime.Templates;

namespace Cog.Runtime.Tests.Templates;

/// <summary>Bundle templates held in memory, counting lookups.</summary>
sealed class InMemoryTemplateSource : ITemplateSource
{
    readonly Dictionary<(string, string), BundleTemplates> _bundles = [];

    public int Lookups { get; private set; }

    public InMemoryTemplateSource Add(string bundle, string version, TemplateDialect dialect, params (string Name, string Body)[] templates)
    {
        _bundles[(bundle, version)] = new BundleTemplates(bundle, version, dialect,
            templates.ToImmutableDictionary(static t => t.Name, static t => t.Body, StringComparer.Ordinal));
        return this;
    }

    public ValueTask<BundleTemplates?> FindAsync(string bundle, string version, CancellationToken cancellationToken)
    {
        Lookups++;
        return ValueTask.FromResult(_bundles.GetValueOrDefault((bundle, version)));
    }
}

/// <summary>A template source whose store is down.</summary>
sealed class BrokenTemplateSource : ITemplateSource
{
    public ValueTask<BundleTemplates?> FindAsync(string bundle, string version, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("database is down");
}
