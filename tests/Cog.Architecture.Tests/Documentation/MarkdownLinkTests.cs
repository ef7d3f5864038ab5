using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Cog.Testing;

namespace Cog.Architecture.Tests.Documentation;

/// <summary>No link in the repository's Markdown points to a file that does not exist, or to a heading a Markdown file
/// does not have. Links to web addresses are not followed (this machine has no internet, and they are not ours).</summary>
public class MarkdownLinkTests
{
    // [text](target) and [text](target "title"), not images' data; reference definitions: [name]: target
    static readonly Regex InlineLink = new(@"(?<!\\)\]\((?<target>[^)\s]+)(?:\s+""[^""]*"")?\)");
    static readonly Regex ReferenceDefinition = new(@"^\s{0,3}\[[^\]]+\]:\s*(?<target>\S+)", RegexOptions.Multiline);
    static readonly Regex FencedCode = new(@"^(?<fence>```|~~~).*?^\k<fence>", RegexOptions.Multiline | RegexOptions.Singleline);
    static readonly Regex InlineCode = new(@"`+[^`\n]*`+");
    static readonly Regex Heading = new(@"^#{1,6}\s+(?<title>.+?)\s*#*\s*$", RegexOptions.Multiline);

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in MarkdownFiles.All())
            data.Add(Path.GetRelativePath(RepositoryPaths.Root, file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_link_points_to_an_existing_file_and_heading(string file)
    {
        var path = Path.Combine(RepositoryPaths.Root, file);
        var broken = new List<string>();
        foreach (var target in Targets(File.ReadAllText(path)))
        {
            if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
                continue;
            var hash = target.IndexOf('#', StringComparison.Ordinal);
            var (relative, anchor) = hash < 0 ? (target, null) : (target[..hash], target[(hash + 1)..]);
            var resolved = relative.Length == 0 ? path : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, Uri.UnescapeDataString(relative)));
            if (!File.Exists(resolved) && !Directory.Exists(resolved))
                broken.Add($"{target}: no such file");
            else if (anchor is { Length: > 0 } && resolved.EndsWith(".md", StringComparison.Ordinal) && !Anchors(resolved).Contains(anchor))
                broken.Add($"{target}: {Path.GetFileName(resolved)} has no heading #{anchor}");
        }

        Assert.True(broken.Count == 0, $"{file}:\n  " + string.Join("\n  ", broken));
    }

    [Fact]
    public void The_check_finds_links_and_headings_as_GitHub_reads_them()
    {
        var text = "# Top\n\n## The `ping` command (v2)\n\nSee [a](docs/a.md#x), [b]: ../b.md\n\n```\n[not](a-link.md)\n```\n`[nor](this.md)`\n";

        Assert.Equal(["docs/a.md#x"], Targets(text).Take(1));
        Assert.DoesNotContain("a-link.md", Targets(text));
        Assert.DoesNotContain("this.md", Targets(text));
        Assert.Equal(["top", "the-ping-command-v2"], AnchorsOf(text));
    }

    static List<string> Targets(string markdown)
    {
        var text = InlineCode.Replace(FencedCode.Replace(markdown, ""), "");
        return [.. InlineLink.Matches(text).Select(m => m.Groups["target"].Value)
            .Concat(ReferenceDefinition.Matches(text).Select(m => m.Groups["target"].Value))
            .Select(t => t.Trim('<', '>'))];
    }

    static HashSet<string> Anchors(string file) => [.. AnchorsOf(File.ReadAllText(file))];

    /// <summary>GitHub's heading ids: lower case, punctuation dropped, spaces to hyphens, repeats numbered.</summary>
    static List<string> AnchorsOf(string markdown)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var anchors = new List<string>();
        foreach (Match heading in Heading.Matches(FencedCode.Replace(markdown, "")))
        {
            var slug = new StringBuilder();
            foreach (var c in heading.Groups["title"].Value.ToLower(CultureInfo.InvariantCulture))
            {
                if (char.IsLetterOrDigit(c) || c is '-' or '_')
                    slug.Append(c);
                else if (c == ' ')
                    slug.Append('-');
            }
            var id = slug.ToString();
            anchors.Add(seen.TryGetValue(id, out var count) ? $"{id}-{count}" : id);
            seen[id] = count + 1;
        }
        return anchors;
    }
}
