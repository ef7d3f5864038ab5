using Cog.Runtime.Rendering;
using Cog.Runtime.Storage;
using Cog.Runtime.Templates;

namespace Cog.Testing.Rendering;

/// <summary>The real templated reply composer for tests: over a store's bundle templates, or over none (every reply then
/// comes from Cog's common templates and the <c>text</c>/<c>raw</c> fallbacks).</summary>
public static class TestComposers
{
    /// <summary>A composer reading bundle templates from <paramref name="store"/>.</summary>
    public static TemplateReplyComposer Over(IStoreSession store) =>
        new(new StoreTemplateSource(store), new TemplateEngine(null, TimeProvider.System));

    /// <summary>A composer without bundle templates.</summary>
    public static TemplateReplyComposer WithoutBundleTemplates() =>
        new(new NoTemplates(), new TemplateEngine(null, TimeProvider.System));

    sealed class NoTemplates : ITemplateSource
    {
        public ValueTask<BundleTemplates?> FindAsync(string bundle, string version, CancellationToken cancellationToken) =>
            ValueTask.FromResult<BundleTemplates?>(null);
    }
}
