namespace Cog.Cli.Tests.Offline;

public class UsageTests
{
    [Theory]
    [InlineData("pipeline", "frobnicate")]
    [InlineData("pipeline", "parse")]
    [InlineData("rule", "check", "--", "foo:bar")]
    [InlineData("nonsense")]
    public void Usage_errors_exit_with_2(params string[] args)
    {
        var result = CogCtlRunner.Run(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("error:", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_bundle_path_is_a_usage_error()
    {
        var result = CogCtlRunner.Run("bundle", "validate", "/nonexistent/bundle");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'/nonexistent/bundle' is neither a bundle folder nor a manifest file.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bare_cogctl_prints_the_help_and_exits_0()
    {
        var result = CogCtlRunner.Run();

        Assert.Equal((0, ""), (result.ExitCode, result.Error));
        Assert.Contains("Usage:", result.Output, StringComparison.Ordinal);
        Assert.Contains("audit", result.Output, StringComparison.Ordinal);
        Assert.Contains("completion", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mistyped_command_is_answered_with_what_was_meant()
    {
        var result = CogCtlRunner.Run("audti", "list");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'audti' was not matched. Did you mean one of the following?\naudit\n", result.Error, StringComparison.Ordinal);
        Assert.EndsWith("Run 'cogctl --help' for usage.\n", result.Error, StringComparison.Ordinal);
        Assert.Equal("", result.Output);
    }

    [Fact]
    public void A_mistyped_option_is_answered_with_what_was_meant()
    {
        var result = CogCtlRunner.Run("audit", "list", "--limt", "3");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("""
            error: Unrecognized command or argument '--limt'.
            error: Unrecognized command or argument '3'.
            '--limt' was not matched. Did you mean one of the following?
            --limit
            Run 'cogctl --help' for usage.

            """, result.Error);
        Assert.Equal("", result.Output);
    }
}
