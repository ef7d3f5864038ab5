namespace Cog.Runtime.Mqtt.Broker;

/// <summary>The MQTT username and password of Cog's own server components on the embedded broker.</summary>
/// <param name="UserName">The username; it holds a <c>$</c>, so no relay id can ever equal it.</param>
/// <param name="Password">A random password generated when the broker starts; it lives only in memory.</param>
public sealed record BrokerCredentials(string UserName, string Password)
{
    /// <summary>Never prints the password.</summary>
    public override string ToString() => $"{nameof(BrokerCredentials)} {{ {nameof(UserName)} = {UserName} }}";
}
