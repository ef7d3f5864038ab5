using Cog.Runtime.Relays;

namespace Cog.Runtime.Tests.Relays;

public class RelayMessagesTests
{
    [Fact]
    public void The_no_relay_message_keeps_the_references_first_sentence()
    {
        Assert.StartsWith("No Cog Relays supporting the `ec2` bundle are currently online. ", RelayMessages.NoRelayOnline("ec2"), StringComparison.Ordinal);
        Assert.Equal("No Cog Relays supporting the `ec2` bundle are currently online. If you just assigned the bundle to a relay group, try again once one of its relays has downloaded and announced it.", RelayMessages.NoRelayOnline("ec2"));
    }

    [Fact]
    public void The_not_assigned_message_is_the_references()
    {
        Assert.Equal("Bundle 'ec2' is not assigned to a relay group. Assign the bundle to a relay group and try again.", RelayMessages.NotAssigned("ec2"));
    }

    [Fact]
    public void The_no_result_message_says_the_command_may_or_may_not_have_completed()
    {
        Assert.Equal("The `deploy:release` command was started on relay web-7 but no result arrived by its deadline; it may or may not have completed.", RelayMessages.NoResult("deploy", "release", "web-7"));
    }

    [Fact]
    public void The_cancelled_message_names_the_command()
    {
        Assert.Equal("The `deploy:release` command was stopped before it finished.", RelayMessages.Cancelled("deploy", "release"));
        Assert.Equal("The pipeline was stopped.", RelayMessages.CancelReason);
    }
}
