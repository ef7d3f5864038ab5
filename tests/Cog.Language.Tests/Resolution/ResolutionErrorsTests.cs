using Cog.Language.Resolution;

namespace Cog.Language.Tests.Resolution;

public class ResolutionErrorsTests
{
    [Fact]
    public void Command_not_found() =>
        Assert.Equal("Command 'deploy' not found in any installed bundle.", ResolutionErrors.CommandNotFound("deploy"));

    [Fact]
    public void Bundle_not_found() =>
        Assert.Equal("Bundle 'ops' was not found. Please check the name and try again.", ResolutionErrors.BundleNotFound("ops"));

    [Fact]
    public void Bundle_disabled() =>
        Assert.Equal("Bundle 'ops' is disabled. Please enable it and try running the command again.", ResolutionErrors.BundleDisabled("ops"));

    [Fact]
    public void Command_not_in_bundle() =>
        Assert.Equal("Bundle 'ops' doesn't contain a command named 'deploy'.", ResolutionErrors.CommandNotInBundle("ops", "deploy"));

    [Theory]
    [InlineData(new[] { "a", "b" }, "'a', and 'b'")]
    [InlineData(new[] { "a", "b", "c" }, "'a', 'b', and 'c'")]
    [InlineData(new[] { "a", "b", "c", "d" }, "'a', 'b', 'c', and 'd'")]
    public void Ambiguous_command_lists_the_bundles_in_english(string[] bundles, string list) =>
        Assert.Equal(
            $"Ambiguous command reference detected. Command 'x' found in bundles {list}.",
            ResolutionErrors.AmbiguousCommand("x", bundles));

    [Fact]
    public void Ambiguous_command_needs_two_bundles() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ResolutionErrors.AmbiguousCommand("x", ["a"]));

    [Fact]
    public void Expansion_limit_exceeded() =>
        Assert.Equal("Alias expansion limit (5) exceeded starting with alias 'a'.", ResolutionErrors.ExpansionLimitExceeded("a", 5));

    [Fact]
    public void Expansion_loop() =>
        Assert.Equal("Infinite alias expansion loop detected 'a' -> 'b'.", ResolutionErrors.ExpansionLoop("a", "b"));

    [Fact]
    public void Alias_redirect_not_last() =>
        Assert.Equal(
            "Alias 'tell' ends with a redirect, so it can only be used as the last stage of a pipeline.",
            ResolutionErrors.AliasRedirectNotLast("tell"));
}
