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
}
