namespace Cog.Testing;

/// <summary>The repository's own Markdown files (not build output, dependencies or local data).</summary>
public static class MarkdownFiles
{
    static readonly HashSet<string> Skipped = new(StringComparer.Ordinal) { ".git", "bin", "obj", "node_modules", ".tmp", ".cog", "TestResults" };

    /// <summary>Every Markdown file of the repository, by path.</summary>
    public static IEnumerable<string> All() => Walk(new DirectoryInfo(RepositoryPaths.Root)).Order(StringComparer.Ordinal);

    static IEnumerable<string> Walk(DirectoryInfo directory)
    {
        foreach (var file in directory.EnumerateFiles("*.md"))
            yield return file.FullName;
        foreach (var child in directory.EnumerateDirectories())
        {
            if (Skipped.Contains(child.Name) || child.LinkTarget is not null)
                continue;
            foreach (var file in Walk(child))
                yield return file;
        }
    }
}
