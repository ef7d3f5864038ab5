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

    [Fact]
    public void An_unknown_option_is_refused_even_where_an_optional_argument_could_take_it()
    {
        // Once, `relay create web-1 --groups default` created a relay whose id was "--groups".
        var result = CogCtlRunner.Run("relay", "create", "web-1", "--groups", "default");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("""
            error: Unrecognized option '--groups' for 'cogctl relay create'. A value that starts with '-' goes after '--'.
            Run 'cogctl relay create --help' for its options.

            """, result.Error);
        Assert.Equal("", result.Output);
    }

    [Theory]
    [InlineData("-x7Tq~Lw-9Rb")]
    [InlineData("--Zq8~e")]
    [InlineData("-1")]
    public void A_password_that_starts_with_a_dash_is_still_a_value(string password)
    {
        var home = Directory.CreateTempSubdirectory("cogctl-").FullName;
        var config = Path.Combine(home, ".cogctl");

        var result = CogCtlRunner.Run("profile", "create", "--config-file", config, "local", "http://127.0.0.1:4000", "admin", password);

        Assert.Equal((0, ""), (result.ExitCode, result.Error));
        Assert.Contains($"password = {password}", File.ReadAllText(config), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pipeline", "parse", "echo", "--all")]
    [InlineData("pipeline", "parse", "--", "echo", "-x")]
    [InlineData("pipeline", "parse", "echo", "-1")]
    public void The_words_of_a_pipeline_may_look_like_options(params string[] args)
    {
        var result = CogCtlRunner.Run(args);

        Assert.Equal((0, ""), (result.ExitCode, result.Error));
        Assert.Contains(args[^1], result.Output, StringComparison.Ordinal);
    }
}
