using System.Diagnostics;

namespace Cog.Cli.Tests.Offline;

/// <summary><c>cogctl completion bash|zsh</c>, and the <c>[suggest]</c> directive the scripts call.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class CompletionTests
{
    [Fact]
    public void The_suggest_directive_answers_what_can_come_next()
    {
        var result = CogCtlRunner.Run("[suggest:7]", "audit l");

        // Candidates that contain the word (the scripts keep those that start with it).
        var candidates = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("list", candidates[0]);
        Assert.DoesNotContain("verify", candidates);
    }

    [Fact]
    public void The_zsh_script_registers_its_function_and_asks_cogctl()
    {
        var result = CogCtlRunner.Run("completion", "zsh");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("#compdef cogctl\n", result.Output, StringComparison.Ordinal);
        Assert.Contains("compdef _cogctl cogctl", result.Output, StringComparison.Ordinal);
        Assert.Contains("\"[suggest:${#before}]\"", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_shell_is_a_usage_error()
    {
        var result = CogCtlRunner.Run("completion", "fish");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("fish", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bash_completes_a_subcommand_and_an_option_through_the_script()
    {
        // A cogctl on PATH, as an installed one would be: the built cogctl.dll run by dotnet.
        var bin = Directory.CreateTempSubdirectory("cogctl-completion-").FullName;
        try
        {
            var shim = Path.Combine(bin, "cogctl");
            await File.WriteAllTextAsync(shim, $"#!/bin/sh\nexec dotnet \"{Path.Combine(AppContext.BaseDirectory, "cogctl.dll")}\" \"$@\"\n",
                TestContext.Current.CancellationToken);
            File.SetUnixFileMode(shim, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var script = CogCtlRunner.Run("completion", "bash").Output;
            await File.WriteAllTextAsync(Path.Combine(bin, "cogctl.bash"), script, TestContext.Current.CancellationToken);

            Assert.Equal("list", await CompleteAsync(bin, "cogctl audit l"));
            Assert.Equal("--limit", await CompleteAsync(bin, "cogctl audit list --lim"));
        }
        finally
        {
            Directory.Delete(bin, recursive: true);
        }
    }

    /// <summary>Sets bash's completion variables as bash does for a cursor at the end of <paramref name="line"/>, calls
    /// the script's function and answers its COMPREPLY, one per line.</summary>
    static async Task<string> CompleteAsync(string bin, string line)
    {
        var words = line.Split(' ');
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                "-c",
                $"source '{bin}/cogctl.bash'; COMP_LINE='{line}'; COMP_POINT={line.Length}; COMP_WORDS=({string.Join(' ', words.Select(w => $"'{w}'"))}); "
                + $"COMP_CWORD={words.Length - 1}; _cogctl_complete; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            },
        };
        start.Environment["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH");
        using var bash = Process.Start(start)!;
        var output = await bash.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = await bash.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await bash.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(bash.ExitCode == 0, error);
        return output.Trim();
    }
}
