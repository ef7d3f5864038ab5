using Cog.Runtime.Postgres;
using Npgsql;

namespace Cog.Storage.Tests.Postgres;

/// <summary>The data source the store builds from a connection string: with several hosts (a Patroni cluster), a host's
/// role is asked again every second, so a promoted standby is used within a second of its promotion.</summary>
public sealed class PostgresDataSourceTests
{
    static int RecheckSeconds(string connectionString)
    {
        using var dataSource = PostgresStore.DataSource(connectionString);
        return new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).HostRecheckSeconds;
    }

    [Fact]
    public void Several_hosts_are_rechecked_every_second()
    {
        Assert.Equal(1, RecheckSeconds("Host=127.0.0.1:5432,127.0.0.1:5433;Database=cog;Username=cog;Target Session Attributes=primary"));
    }

    [Theory]
    [InlineData("Host Recheck Seconds=30")]
    [InlineData("host recheck seconds=30")]
    [InlineData("HostRecheckSeconds=30")]
    public void A_recheck_interval_in_the_connection_string_is_kept(string setting)
    {
        Assert.Equal(30, RecheckSeconds($"Host=127.0.0.1:5432,127.0.0.1:5433;Database=cog;Target Session Attributes=primary;{setting}"));
    }

    [Fact]
    public void One_host_keeps_Npgsql_s_defaults()
    {
        Assert.Equal(new NpgsqlConnectionStringBuilder().HostRecheckSeconds, RecheckSeconds("Host=127.0.0.1;Port=5432;Database=cog"));
    }
}
