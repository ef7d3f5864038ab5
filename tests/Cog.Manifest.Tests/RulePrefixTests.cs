namespace Cog.Manifest.Tests;

public class RulePrefixTests
{
    [Theory]
    [InlineData("allow", "when command is b:c allow")]
    [InlineData("must have b:p", "when command is b:c must have b:p")]
    [InlineData("when command is b:c allow", "when command is b:c allow")]
    [InlineData("WHEN COMMAND IS b:c allow", "WHEN COMMAND IS b:c allow")]
    [InlineData("when command is x:y allow", "when command is x:y allow")]
    [InlineData(" when command is b:c allow", "when command is b:c  when command is b:c allow")]
    public void Fix_up_adds_the_prefix_only_when_the_rule_does_not_start_with_it(string rule, string expected)
    {
        Assert.Equal(expected, RulePrefix.Apply("b", "c", rule));
    }
}
