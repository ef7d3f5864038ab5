using System.Diagnostics;
using Cog.Testing;

namespace Cog.Server.Tests.Startup;

/// <summary><c>./build.sh run</c> says what it is doing while it builds (a fresh clone builds for minutes), with a
/// stand-in <c>dotnet</c> on PATH that records how it was called and does nothing.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class BuildScriptRunTests
{
    [Fact]
    public async Task Build_sh_run_announces_each_step_and_lets_dotnet_show_its_progress()
    {
        var bin = Directory.CreateTempSubdirectory("cog-build-sh-").FullName;
        // build.sh run makes ./.cog, the data folder of a real run: left alone when it was there, removed when not.
        var data = Path.Combine(RepositoryPaths.Root, ".cog");
        var dataExisted = Directory.Exists(data);
        try
        {
            var calls = Path.Combine(bin, "calls.txt");
            var dotnet = Path.Combine(bin, "dotnet");
            await File.WriteAllTextAsync(dotnet, $"#!/bin/sh\necho \"$*\" >> '{calls}'\n", TestContext.Current.CancellationToken);
            File.SetUnixFileMode(dotnet, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, ArgumentList = { Path.Combine(RepositoryPaths.Root, "build.sh"), "run", "--extra" } };
            start.Environment["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH");

            using var run = Process.Start(start)!;
            var output = await run.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var error = await run.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await run.WaitForExitAsync(TestContext.Current.CancellationToken);

            Assert.True(run.ExitCode == 0, error);
            Assert.Equal([
                "build.sh: building the server, the relay and the web console (a fresh clone restores packages first: a few minutes) ...",
                "build.sh: building the example bundle bundles/examples/echo-assembly ...",
                "build.sh: starting Cog (data in ./.cog, the example bundles served from bundles/examples) ...",
            ], output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            var invocations = await File.ReadAllLinesAsync(calls, TestContext.Current.CancellationToken);
            Assert.Equal(3, invocations.Length);
            Assert.All(invocations[..2], build => Assert.Contains("-v minimal", build, StringComparison.Ordinal));
            Assert.All(invocations, call => Assert.DoesNotContain("-v quiet", call, StringComparison.Ordinal));
            Assert.StartsWith("runtime/Cog.Server/bin/Release/net10.0/cog.dll", invocations[2], StringComparison.Ordinal);
            Assert.EndsWith("--extra", invocations[2], StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(bin, recursive: true);
            if (!dataExisted && Directory.Exists(data))
                Directory.Delete(data, recursive: true);
        }
    }
}
