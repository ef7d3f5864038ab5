namespace Cog.Integration.Tests.Faults;

/// <summary>The adversarial scenarios run one at a time and alone (after the parallel tests): each one loads the machine
/// with a server, a relay, PostgreSQL, Mosquitto and 20 clients, and breaks one of them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AdversarialCollection
{
    public const string Name = "Adversarial";
}
