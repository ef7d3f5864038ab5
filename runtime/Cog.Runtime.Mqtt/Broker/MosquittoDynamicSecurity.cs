using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cog.Contracts.Relays;
using Cog.Runtime.Mqtt.Transport;
using Cog.Runtime.Relays;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Cog.Runtime.Mqtt.Broker;

/// <summary>
/// Keeps every relay's login in an external Mosquitto 2 through its dynamic-security plugin, so a relay's token is
/// entered once, in Cog: one client per relay (username = relay id, password = its token, client id bound to
/// <c>cog-relay-RELAY_ID</c>, disabled with the relay) holding one role, <c>cog-relay-RELAY_ID</c>, whose ACLs allow
/// exactly that relay's topics in their direction; and the role <c>cog-server</c> (everything under
/// <c>cog/v1/relays/</c>) on the server's own login, which is the plugin's administrator.
/// </summary>
/// <remarks>
/// <para>Commands go to <c>$CONTROL/dynamic-security/v1</c> over a connection of their own, one request at a time,
/// each matched to its answer by <c>correlationData</c>.</para>
/// <para><see cref="ReconcileAsync"/> runs at start: the server role, every stored relay's role, client id and
/// enabled state, and no client left for a deleted relay. Cog keeps only a hash of each token, so a relay missing from
/// Mosquitto (e.g. created before the plugin was turned on) cannot be given its token back: it is logged, and
/// <c>cogctl relay update RELAY --token</c> provisions it.</para>
/// </remarks>
public sealed class MosquittoDynamicSecurity : IRelayAccounts, IAsyncDisposable
{
    /// <summary>The plugin's command topic.</summary>
    public const string ControlTopic = "$CONTROL/dynamic-security/v1";

    /// <summary>The role the server's login gets: read and write everything under the relay tree.</summary>
    public const string ServerRole = "cog-server";

    /// <summary>The prefix of each relay's role, followed by the relay id.</summary>
    public const string RelayRolePrefix = "cog-relay-";

    const string ResponseTopic = ControlTopic + "/response";
    static readonly TimeSpan AnswerLimit = TimeSpan.FromSeconds(30);

    readonly MqttClientOptions _options;
    IMqttClient _client;
    readonly string _serverUserName;
    readonly ILogger _logger;
    readonly SemaphoreSlim _oneAtATime = new(1, 1);
    readonly ConcurrentDictionary<string, TaskCompletionSource<JsonArray>> _waiting = new(StringComparer.Ordinal);
    long _next;

    MosquittoDynamicSecurity(MqttClientOptions options, string serverUserName, ILogger logger)
    {
        _options = options;
        _serverUserName = serverUserName;
        _logger = logger;
        _client = NewClient();
    }

    /// <summary>A client that hands answers to whoever waits for them. The plugin disconnects every connection of a
    /// login whose roles change, this one included when it gives the server's login its role: then whatever waits
    /// learns it at once, and the next command connects a new client.</summary>
    IMqttClient NewClient()
    {
        var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e =>
        {
            Answered(e.ApplicationMessage.Payload);
            return Task.CompletedTask;
        };
        client.DisconnectedAsync += _ =>
        {
            // A replaced client's late event concerns nobody waiting now.
            if (ReferenceEquals(client, _client))
            {
                foreach (var waiting in _waiting.Values)
                    waiting.TrySetException(new MqttDisconnected());
            }
            return Task.CompletedTask;
        };
        return client;
    }

    /// <summary>Connects as the server's login (<paramref name="transport"/>: the broker, credentials and TLS trust the
    /// server uses), with the client id <c>SERVER_CLIENT_ID-dynsec</c>.</summary>
    /// <exception cref="InvalidOperationException">The broker refused the connection or the response subscription.</exception>
    public static async Task<MosquittoDynamicSecurity> ConnectAsync(MqttRelayTransportOptions transport, ILogger<MosquittoDynamicSecurity> logger,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(logger);
        var (host, port, tls) = transport.Validate();
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId((transport.ClientId ?? MqttRelayTransport.NewClientId()) + "-dynsec")
            .WithCredentials(transport.UserName, transport.Password)
            .WithCleanStart()
            .WithTimeout(transport.ConnectTimeout);
        if (tls)
        {
            var authority = transport.TlsCaCertificate;
            builder.WithTlsOptions(o => o.UseTls().WithCertificateValidationHandler(e =>
                MqttRelayTransport.IsTrusted(e.Certificate, e.SslPolicyErrors, authority)));
        }
        var security = new MosquittoDynamicSecurity(builder.Build(), transport.UserName, logger);
        try
        {
            await security.ConnectAsync(cancellationToken).ConfigureAwait(false);
            return security;
        }
        catch
        {
            await security.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var connected = await _client.ConnectAsync(_options, cancellationToken).ConfigureAwait(false);
        if (connected.ResultCode != MqttClientConnectResultCode.Success)
            throw new InvalidOperationException($"Mosquitto refused the dynamic-security connection as '{_serverUserName}': {connected.ResultCode}.");
        var subscribed = await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(ResponseTopic, MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken).ConfigureAwait(false);
        if (subscribed.Items.Any(static i => i.ResultCode > MqttClientSubscribeResultCode.GrantedQoS2))
            throw new InvalidOperationException($"Mosquitto refused '{_serverUserName}' the subscription to {ResponseTopic}: is it the dynamic-security plugin's administrator (mosquitto_ctrl dynsec init)?");
    }

    /// <summary>Brings Mosquitto in line with the stored relays: see the remarks.</summary>
    public async Task ReconcileAsync(IReadOnlyCollection<(string Id, bool Enabled)> relays, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(relays);
        await EnsureRoleAsync(ServerRole, ServerAcls(), cancellationToken).ConfigureAwait(false);
        var clients = await ClientsAsync(cancellationToken).ConfigureAwait(false);
        if (!clients.TryGetValue(_serverUserName, out var server) || !server.Roles.Contains(ServerRole))
        {
            // Changing the roles of the login this connection uses ends the connection, usually before the answer.
            try
            {
                await SendAsync([new JsonObject { ["command"] = "addClientRole", ["username"] = _serverUserName, ["rolename"] = ServerRole }],
                    cancellationToken).ConfigureAwait(false);
            }
            catch (MqttDisconnected)
            {
            }
            clients = await ClientsAsync(cancellationToken).ConfigureAwait(false);
            if (!clients.TryGetValue(_serverUserName, out server) || !server.Roles.Contains(ServerRole))
                throw new InvalidOperationException($"Mosquitto's dynamic-security plugin did not give '{_serverUserName}' the role {ServerRole}.");
        }

        var stored = relays.ToDictionary(static r => r.Id, static r => r.Enabled, StringComparer.Ordinal);
        foreach (var (id, enabled) in stored)
        {
            if (!clients.TryGetValue(id, out var client))
            {
                DynamicSecurityLog.RelayMissing(_logger, id);
                continue;
            }
            // Only what differs: changing a login's roles or client id disconnects the relay.
            var role = RelayRolePrefix + id;
            await EnsureRoleAsync(role, RelayAcls(id), cancellationToken).ConfigureAwait(false);
            if (client.ClientId != EmbeddedBroker.RelayClientIdPrefix + id || client.Roles.Count != 1 || !client.Roles.Contains(role))
                await BindAsync(id, cancellationToken).ConfigureAwait(false);
            if (client.Disabled == enabled)
                await SaveAsync(id, token: null, enabled, cancellationToken).ConfigureAwait(false);
        }
        var listedRoles = await SendAsync([new JsonObject { ["command"] = "listRoles", ["verbose"] = false }], cancellationToken).ConfigureAwait(false);
        foreach (var role in listedRoles[0]?["data"]?["roles"]?.AsArray() ?? [])
        {
            var name = role!.GetValue<string>();
            if (name.StartsWith(RelayRolePrefix, StringComparison.Ordinal) && name[RelayRolePrefix.Length..] is var id && !stored.ContainsKey(id))
                await RelayDeletedAsync(id, cancellationToken).ConfigureAwait(false);
        }
        DynamicSecurityLog.Reconciled(_logger, stored.Count);
    }

    /// <summary>Every client: username → client id, role names, disabled.</summary>
    async Task<Dictionary<string, (string? ClientId, HashSet<string> Roles, bool Disabled)>> ClientsAsync(CancellationToken cancellationToken)
    {
        var listed = await SendAsync([new JsonObject { ["command"] = "listClients", ["verbose"] = true }], cancellationToken).ConfigureAwait(false);
        var clients = new Dictionary<string, (string?, HashSet<string>, bool)>(StringComparer.Ordinal);
        foreach (var client in listed[0]?["data"]?["clients"]?.AsArray() ?? [])
        {
            var roles = new HashSet<string>(StringComparer.Ordinal);
            foreach (var role in client?["roles"]?.AsArray() ?? [])
                roles.Add(role?["rolename"]?.GetValue<string>() ?? "");
            clients[client!["username"]!.GetValue<string>()] = (client["clientid"]?.GetValue<string>(), roles, client["disabled"]?.GetValue<bool>() ?? false);
        }
        return clients;
    }

    /// <inheritdoc/>
    public Task RelaySavedAsync(string relayId, string? token, bool enabled, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(relayId);
        return SaveAsync(relayId, token, enabled, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task RelayDeletedAsync(string relayId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(relayId);
        await SendAsync(
        [
            new JsonObject { ["command"] = "deleteClient", ["username"] = relayId },
            new JsonObject { ["command"] = "deleteRole", ["rolename"] = RelayRolePrefix + relayId },
        ], cancellationToken, "Client not found", "Role not found").ConfigureAwait(false);
        DynamicSecurityLog.RelayDeleted(_logger, relayId);
    }

    /// <summary>With a token: the relay's role, its client (created, or its password set) bound to its client id and
    /// role. Then its enabled state.</summary>
    async Task SaveAsync(string relayId, string? token, bool enabled, CancellationToken cancellationToken)
    {
        if (token is not null)
        {
            await EnsureRoleAsync(RelayRolePrefix + relayId, RelayAcls(relayId), cancellationToken).ConfigureAwait(false);
            var created = await SendAsync([new JsonObject
            {
                ["command"] = "createClient", ["username"] = relayId, ["password"] = token,
                ["clientid"] = EmbeddedBroker.RelayClientIdPrefix + relayId, ["roles"] = RelayRoles(relayId),
            }], cancellationToken, "Client already exists").ConfigureAwait(false);
            if (created[0]?["error"] is not null)
            {
                await SendAsync([new JsonObject { ["command"] = "setClientPassword", ["username"] = relayId, ["password"] = token }], cancellationToken)
                    .ConfigureAwait(false);
                await BindAsync(relayId, cancellationToken).ConfigureAwait(false);
            }
        }
        await SendAsync([new JsonObject { ["command"] = enabled ? "enableClient" : "disableClient", ["username"] = relayId }], cancellationToken)
            .ConfigureAwait(false);
        DynamicSecurityLog.RelaySaved(_logger, relayId, enabled, token is not null);
    }

    /// <summary>Binds the relay's client to its client id and gives it exactly its role (Mosquitto disconnects it).</summary>
    Task BindAsync(string relayId, CancellationToken cancellationToken) =>
        SendAsync([new JsonObject
        {
            ["command"] = "modifyClient", ["username"] = relayId, ["clientid"] = EmbeddedBroker.RelayClientIdPrefix + relayId, ["roles"] = RelayRoles(relayId),
        }], cancellationToken);

    static JsonArray RelayRoles(string relayId) => [new JsonObject { ["rolename"] = RelayRolePrefix + relayId }];

    /// <summary>Creates the role, or sets its ACLs when it exists with others.</summary>
    async Task EnsureRoleAsync(string role, JsonArray acls, CancellationToken cancellationToken)
    {
        var created = await SendAsync([new JsonObject { ["command"] = "createRole", ["rolename"] = role, ["acls"] = acls.DeepClone() }],
            cancellationToken, "Role already exists").ConfigureAwait(false);
        if (created[0]?["error"] is null)
            return;
        var current = await SendAsync([new JsonObject { ["command"] = "getRole", ["rolename"] = role }], cancellationToken).ConfigureAwait(false);
        var present = current[0]?["data"]?["role"]?["acls"]?.AsArray() ?? [];
        if (Key(present).SetEquals(Key(acls)))
            return;
        foreach (var acl in present)
        {
            await SendAsync([new JsonObject { ["command"] = "removeRoleACL", ["rolename"] = role, ["acltype"] = acl?["acltype"]?.DeepClone(), ["topic"] = acl?["topic"]?.DeepClone() }],
                cancellationToken).ConfigureAwait(false);
        }
        foreach (var acl in acls)
        {
            var add = acl!.DeepClone().AsObject();
            add["command"] = "addRoleACL";
            add["rolename"] = role;
            await SendAsync([add], cancellationToken).ConfigureAwait(false);
        }

        static HashSet<string> Key(JsonArray list) =>
            [.. list.Select(static a => $"{a?["acltype"]}|{a?["topic"]}|{a?["allow"]}")];
    }

    /// <summary>The server: publish, receive and subscribe anywhere under the relay tree.</summary>
    static JsonArray ServerAcls()
    {
        var tree = Topics.Prefix + "/#";
        return [Acl("publishClientSend", tree), Acl("publishClientReceive", tree), Acl("subscribePattern", tree)];
    }

    /// <summary>A relay: publish its status, announcements, acks and results; subscribe to and receive its assignments,
    /// invocations, cancels and receipts — the embedded broker's rules.</summary>
    static JsonArray RelayAcls(string relayId)
    {
        var acls = new JsonArray();
        foreach (var topic in (RelayTopic[])[RelayTopic.Status, RelayTopic.Announce, RelayTopic.Acks, RelayTopic.Results])
            acls.Add(Acl("publishClientSend", Topics.For(relayId, topic)));
        foreach (var topic in (RelayTopic[])[RelayTopic.Assignments, RelayTopic.Invocations, RelayTopic.Cancels, RelayTopic.Receipts])
        {
            acls.Add(Acl("subscribeLiteral", Topics.For(relayId, topic)));
            acls.Add(Acl("publishClientReceive", Topics.For(relayId, topic)));
        }
        return acls;
    }

    static JsonObject Acl(string type, string topic) => new() { ["acltype"] = type, ["topic"] = topic, ["allow"] = true, ["priority"] = 0 };

    /// <summary>Sends <paramref name="commands"/> in one message and returns their answers in order.</summary>
    /// <exception cref="InvalidOperationException">A command failed with an error other than <paramref name="tolerated"/>,
    /// or no answer came.</exception>
    async Task<JsonArray> SendAsync(JsonObject[] commands, CancellationToken cancellationToken, params string[] tolerated)
    {
        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var correlation = Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture);
            foreach (var command in commands)
                command["correlationData"] = correlation;
            var answer = new TaskCompletionSource<JsonArray>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting[correlation] = answer;
            try
            {
                if (!_client.IsConnected)
                {
                    _client.Dispose();
                    _client = NewClient();
                    await ConnectAsync(cancellationToken).ConfigureAwait(false);
                }
                var payload = new JsonObject { ["commands"] = new JsonArray([.. commands]) }.ToJsonString();
                await _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(ControlTopic).WithPayload(payload)
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken).ConfigureAwait(false);
                var responses = await answer.Task.WaitAsync(AnswerLimit, cancellationToken).ConfigureAwait(false);
                foreach (var response in responses)
                {
                    if (response?["error"]?.GetValue<string>() is { } error && !tolerated.Contains(error, StringComparer.Ordinal))
                        throw new InvalidOperationException($"Mosquitto's dynamic-security plugin refused {response["command"]}: {error}.");
                }
                return responses;
            }
            catch (MQTTnet.Exceptions.MqttClientUnexpectedDisconnectReceivedException)
            {
                throw new MqttDisconnected();
            }
            catch (TimeoutException)
            {
                throw new InvalidOperationException($"Mosquitto's dynamic-security plugin did not answer within {AnswerLimit.TotalSeconds:0} s: is the plugin loaded?");
            }
            finally
            {
                _waiting.TryRemove(correlation, out _);
            }
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    void Answered(System.Buffers.ReadOnlySequence<byte> payload)
    {
        JsonArray? responses;
        try
        {
            responses = JsonNode.Parse(System.Text.Encoding.UTF8.GetString(System.Buffers.BuffersExtensions.ToArray(payload)))?["responses"]?.AsArray();
        }
        catch (JsonException)
        {
            return;
        }
        if (responses?.FirstOrDefault()?["correlationData"]?.GetValue<string>() is { } correlation && _waiting.TryGetValue(correlation, out var waiting))
            waiting.TrySetResult(responses);
    }

    /// <summary>Disconnects.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_client.IsConnected)
                await _client.DisconnectAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Already gone.
        }
        _client.Dispose();
        _oneAtATime.Dispose();
    }
}

/// <summary>The connection to the plugin ended while a command waited for its answer.</summary>
sealed class MqttDisconnected : Exception
{
    public MqttDisconnected()
        : base("The connection to Mosquitto ended before the dynamic-security plugin answered.")
    {
    }
}

/// <summary>Log lines of <see cref="MosquittoDynamicSecurity"/>.</summary>
static partial class DynamicSecurityLog
{
    [LoggerMessage(1, LogLevel.Warning, "Relay {RelayId} has no login in Mosquitto's dynamic security (Cog keeps only its token's hash): give it its token again with `cogctl relay update {RelayId} --token TOKEN`.")]
    public static partial void RelayMissing(ILogger logger, string relayId);

    [LoggerMessage(2, LogLevel.Information, "Mosquitto dynamic security: relay {RelayId} provisioned (enabled: {Enabled}, new token: {NewToken}).")]
    public static partial void RelaySaved(ILogger logger, string relayId, bool enabled, bool newToken);

    [LoggerMessage(3, LogLevel.Information, "Mosquitto dynamic security: relay {RelayId} removed.")]
    public static partial void RelayDeleted(ILogger logger, string relayId);

    [LoggerMessage(4, LogLevel.Information, "Mosquitto dynamic security reconciled with {Count} stored relay(s).")]
    public static partial void Reconciled(ILogger logger, int count);
}
