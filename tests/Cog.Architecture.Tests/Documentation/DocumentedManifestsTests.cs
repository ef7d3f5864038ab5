using System.Text.RegularExpressions;
using Cog.Manifest;
using Cog.Testing;

namespace Cog.Architecture.Tests.Documentation;

/// <summary>Every manifest shown in the repository's Markdown (a <c>yaml</c> or <c>json</c> code block holding
/// <c>cog_bundle_version</c>) validates without errors or warnings: the examples people copy must work.</summary>
public class DocumentedManifestsTests
{
    static readonly Regex CodeBlock = new(@"^```(?:ya?ml|json)[ \t]*\n(?<code>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline);

    /// <summary>(file relative to the repository, line of the block) of every documented manifest.</summary>
    public static TheoryData<string, int> Examples()
    {
        var data = new TheoryData<string, int>();
        foreach (var file in MarkdownFiles.All())
        {
            var text = File.ReadAllText(file);
            foreach (Match block in CodeBlock.Matches(text))
            {
                if (block.Groups["code"].Value.Contains("cog_bundle_version", StringComparison.Ordinal))
                    data.Add(Path.GetRelativePath(RepositoryPaths.Root, file), text.AsSpan(0, block.Index).Count('\n') + 1);
            }
        }
        return data;
    }

    [Fact]
    public void The_documentation_shows_manifests_of_every_version()
    {
        var versions = Examples().Select(row => Code(row.Data.Item1, row.Data.Item2))
            .Select(code => ManifestLoader.Parse(code, "example.yaml").Manifest?.ManifestVersion).ToHashSet();

        Assert.Superset(new HashSet<int?> { 5, 6 }, versions);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void A_documented_manifest_validates_without_errors_or_warnings(string file, int line)
    {
        var result = ManifestLoader.Parse(Code(file, line), $"{file}:{line}");

        Assert.True(result.Errors.IsEmpty && result.Warnings.IsEmpty,
            string.Join("\n", result.Errors.Concat(result.Warnings).Select(e => e.ToString())));
    }

    static string Code(string file, int line)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryPaths.Root, file));
        return CodeBlock.Matches(text).Single(m => text.AsSpan(0, m.Index).Count('\n') + 1 == line).Groups["code"].Value;
    }
}
