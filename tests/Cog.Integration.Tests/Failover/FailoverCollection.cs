namespace Cog.Integration.Tests.Failover;

/// <summary>The failover scenarios run one at a time and alone: each one loads the machine with two servers behind
/// HAProxy, a relay, PostgreSQL and Mosquitto, and kills a server.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FailoverCollection
{
    public const string Name = "Failover";
}
