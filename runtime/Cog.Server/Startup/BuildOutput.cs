namespace Cog.Server.Startup;

/// <summary>Finds the executables the server starts as processes of their own (the dev relay, the bundle checker) in
/// the repository's build output beside this server's.</summary>
static class BuildOutput
{
    /// <summary>The file <paramref name="assembly"/> in the build output of the project folder <paramref name="project"/>
    /// (relative to the repository) for this server's configuration and framework:
    /// <c>runtime/Cog.Server/bin/&lt;configuration&gt;/&lt;framework&gt;/</c> → <c>PROJECT/bin/…/ASSEMBLY</c>; null when it
    /// is not there (the server does not run from a build output, or the project was not built).</summary>
    public static string? Find(string project, string assembly)
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = output.Name;
        var configuration = output.Parent?.Name;
        var repository = output.Parent?.Parent?.Parent?.Parent?.Parent;
        if (configuration is null || repository is null)
            return null;
        var path = Path.Combine(repository.FullName, project, "bin", configuration, framework, assembly);
        return File.Exists(path) ? path : null;
    }

    /// <summary>Whether the server in <paramref name="serverDirectory"/> runs from a source checkout's build output
    /// (<c>CHECKOUT/runtime/Cog.Server/bin/&lt;configuration&gt;/&lt;framework&gt;/</c>, with <c>build.sh</c> in
    /// <c>CHECKOUT</c>) rather than from an install (the Debian package, a container, a publish folder).</summary>
    public static bool IsSourceCheckout(string serverDirectory)
    {
        var output = new DirectoryInfo(Path.TrimEndingDirectorySeparator(serverDirectory));
        var project = output.Parent?.Parent?.Parent;
        var checkout = project?.Parent?.Parent;
        return project is { Name: "Cog.Server" } && checkout is not null && File.Exists(Path.Combine(checkout.FullName, "build.sh"));
    }
}
