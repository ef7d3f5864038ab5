using Cog.Server.Composition;
using Cog.Testing;

namespace Cog.Server.Tests.Composition;

/// <summary>The welcome banner tells the operator how to run cogctl the way it exists where the server came from.</summary>
public sealed class WelcomeTests
{
    [Fact]
    public void A_server_built_in_a_source_checkout_says_to_run_cogctl_through_build_sh()
    {
        var output = Path.Combine(RepositoryPaths.Root, "runtime", "Cog.Server", "bin", "Release", "net10.0");

        Assert.Equal("./build.sh cogctl", Welcome.Cogctl(output));
    }

    [Fact]
    public void An_installed_server_says_to_run_the_cogctl_command()
    {
        // The Debian package's layout, unpacked anywhere: nothing of a checkout around it.
        var root = Directory.CreateTempSubdirectory("cog-welcome-").FullName;
        try
        {
            var installed = Directory.CreateDirectory(Path.Combine(root, "usr", "lib", "cog", "server")).FullName;

            Assert.Equal("cogctl", Welcome.Cogctl(installed));
            Assert.Equal("cogctl", Welcome.Cogctl("/usr/lib/cog/server"));
            Assert.Equal("cogctl", Welcome.Cogctl("/"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
