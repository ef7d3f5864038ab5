using Cog.Contracts.Relays;

namespace Cog.Runtime.Mqtt.Broker;

/// <summary>Who may publish and subscribe where on the embedded broker (docs/protocol.md §4). Pure; thread-safe.</summary>
/// <remarks>A relay gets exactly what <see cref="Topics.RelayMayPublish"/> and <see cref="Topics.RelayMaySubscribe"/>
/// allow: its own topics, each in one direction, never a wildcard. The server user gets everything under
/// <c>cog/v1/relays/</c> (wildcards included) and nothing else.</remarks>
sealed class TopicPermissions(string serverUserName)
{
    const string Tree = Topics.Prefix + "/";

    public bool IsServer(string? userName) => string.Equals(userName, serverUserName, StringComparison.Ordinal);

    public bool MayPublish(string userName, string topic) =>
        IsServer(userName) ? IsUnderTree(topic) : Topics.RelayMayPublish(userName, topic);

    public bool MaySubscribe(string userName, string topicFilter) =>
        IsServer(userName) ? IsUnderTree(topicFilter) : Topics.RelayMaySubscribe(userName, topicFilter);

    static bool IsUnderTree(string topic) => topic.Length > Tree.Length && topic.StartsWith(Tree, StringComparison.Ordinal);
}
