namespace Cog.Runtime.BuiltIns;

/// <summary>Settings of the built-in commands.</summary>
/// <param name="CogVersion">The server's version, as <c>info</c> reports it.</param>
/// <param name="InstanceName">The name of this server instance (its host name, or the operator's choice), as <c>info</c> reports it.</param>
/// <param name="CollectionExpiry">How long the items gathered by a collect-all command (<c>sort</c>, <c>count</c>,
/// <c>tee</c>...) are kept without a new item before they are dropped, so that a killed pipeline leaves nothing behind.</param>
public sealed record BuiltInOptions(string CogVersion, string InstanceName, TimeSpan CollectionExpiry)
{
    /// <summary>Version <c>0.0.0</c>, instance <c>cog</c>, items dropped after 10 minutes without a new one.</summary>
    public static BuiltInOptions Default { get; } = new("0.0.0", "cog", TimeSpan.FromMinutes(10));
}
