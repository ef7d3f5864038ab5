using Cog.Language.Values;
using Cog.Manifest;
using Cog.Runtime.Rendering;
using Cog.Runtime.Templates;

namespace Cog.Runtime.Tests.Templates;

/// <summary>The templates shipped in the repository's bundles compile and render.</summary>
public class BundleTemplatesTests
{
    public static TheoryData<string> Bundles() => ["operable", Path.Combine("examples", "echo-script"), Path.Combine("examples", "cog1-shell")];

    [Theory]
    [MemberData(nameof(Bundles))]
    public async Task Every_template_renders_empty_and_sample_output(string bundle)
    {
        var manifest = ManifestLoader.LoadDirectory(Path.Combine(Root(), "bundles", bundle)).Manifest!;
        Assert.NotEmpty(manifest.Templates);
        var engine = new TemplateEngine(null, TimeProvider.System);
        var dialect = manifest.ManifestVersion >= 6 ? TemplateDialect.Liquid : TemplateDialect.Greenbar;
        var sample = new ObjectValue([
            new("name", new StringValue("n")), new("groups", new ListValue([new ObjectValue([new("name", new StringValue("g"))])])),
            new("pipelines", new ListValue([])), new("pipeline_count", new IntValue(0))]);
        foreach (var (name, body) in manifest.Templates)
        {
            var compiled = engine.Compile(body, dialect);
            Assert.True(compiled.Error is null, $"{name}: {compiled.Error}");
            foreach (var results in new[] { new ListValue([]), new ListValue([sample]) })
            {
                var rendered = await engine.RenderAsync(compiled, [new("results", results)], TestContext.Current.CancellationToken);
                Assert.True(rendered.IsSuccess, $"{name}: {rendered.Error}");
            }
        }
    }

    [Fact]
    public async Task The_group_list_shows_names_read_from_lists()
    {
        var manifest = ManifestLoader.LoadDirectory(Path.Combine(Root(), "bundles", "operable")).Manifest!;
        var engine = new TemplateEngine(null, TimeProvider.System);
        var group = Value.FromJson(System.Text.Json.JsonDocument.Parse("""
            {"name": "ops", "members": {"users": [{"username": "alice"}, {"username": "bob"}], "roles": []}, "roles": [{"name": "admin"}]}
            """).RootElement);
        var rendered = await engine.RenderAsync(engine.Compile(manifest.Templates["group_list"], TemplateDialect.Liquid),
            [new("results", new ListValue([group]))], TestContext.Current.CancellationToken);
        Assert.Equal("Group  Members     Roles\n-----  ----------  -----\nops    alice, bob  admin",
            PlainTextFormatter.Format(MarkdownReader.Read(rendered.Markdown!, ReplyKind.Output)));
    }

    static string Root()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Cog.sln")))
                return directory.FullName;
        }
        throw new InvalidOperationException("No Cog.sln above the test binaries.");
    }
}
