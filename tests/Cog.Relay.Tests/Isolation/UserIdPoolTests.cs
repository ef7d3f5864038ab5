using Cog.Relay.Isolation;

namespace Cog.Relay.Tests.Isolation;

public sealed class UserIdPoolTests
{
    [Fact]
    public void Ids_the_host_uses_are_skipped_and_live_leases_never_share_an_id()
    {
        var pool = new UserIdPool(1000, 4, taken: [1001]);

        using var first = pool.Take();
        using var second = pool.Take();
        using var third = pool.Take();

        Assert.Equal(3, pool.Size);
        Assert.Equal([1000, 1002, 1003], new[] { first.Id, second.Id, third.Id });
        var error = Assert.Throws<InvalidOperationException>(pool.Take);
        Assert.Equal("All 3 user ids of the sandbox are in use: too many confined processes at once (raise Sandbox:UserIdCount).", error.Message);
    }

    [Fact]
    public void A_returned_id_is_handed_out_again_after_the_others()
    {
        var pool = new UserIdPool(1000, 2, taken: []);
        var first = pool.Take();

        first.Dispose();
        first.Dispose();

        Assert.Equal(1001, pool.Take().Id);
        Assert.Equal(1000, pool.Take().Id);
        Assert.Throws<InvalidOperationException>(pool.Take);
    }

    [Fact]
    public void The_taken_ids_come_from_the_third_field_of_passwd_and_group()
    {
        var passwd = Path.GetTempFileName();
        File.WriteAllText(passwd, "root:x:0:0:root:/root:/bin/bash\nrelay:x:2000000005:2000000005::/home/relay:/bin/sh\nbroken line\n");

        var taken = UserIdPool.TakenIds(passwd);
        File.Delete(passwd);

        Assert.Equal([0, 2000000005], taken.Order());
    }
}
