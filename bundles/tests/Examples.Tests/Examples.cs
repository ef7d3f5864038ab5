using System.Reflection;

namespace Examples.Tests;

/// <summary>The example bundles' folders (recorded at build time in the test assembly).</summary>
static class Examples
{
    static readonly string Root = typeof(Examples).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "ExamplesFolder").Value!;

    public static string Folder(string name) => Path.Combine(Root, name);
}
