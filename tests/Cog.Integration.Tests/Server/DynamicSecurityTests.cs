using System.Text.RegularExpressions;
using Cog.Contracts.Relays;
using Cog.Server.Composition;
using Cog.Server.Configuration;
using Cog.Testing;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Cog.Integration.Tests.Server;

/// <summary>With an external Mosquitto 2 and its dynamic-security plugin, a relay's token is entered once, in Cog: the
/// server provisions the relay's login (client id bound), its topics, a new token, disabling and deletion, and at start
/// removes what belongs to no stored relay — against a real Mosquitto.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class DynamicSecurityTests
{
    const string Admin = "cog-server";
    static readonly string AdminPassword = "admin-" + Guid.NewGuid().ToString("N");

    static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_relay_created_in_cog_logs_in_to_mosquitto_with_its_token_bound_to_its_client_id_and_topics()
    {
        await using var mosquitto = await MosquittoProcess.StartWithDynamicSecurityAsync(Admin, AdminPassword, Token);
        // Left over from a relay deleted while the server was down: reconciled away at start.
        await mosquitto.DynamicSecurityAsync(Admin, AdminPassword, "createClient", "ghost", "-p", "ghost-token");
        await mosquitto.DynamicSecurityAsync(Admin, AdminPassword, "createRole", MosquittoDynamicSecurityRole("ghost"));
        await mosquitto.DynamicSecurityAsync(Admin, AdminPassword, "addClientRole", "ghost", MosquittoDynamicSecurityRole("ghost"));
        Assert.Equal(MqttClientConnectResultCode.Success, await ConnectCodeAsync(mosquitto, "ghost", "ghost-token", "cog-relay-ghost"));

        var root = Directory.CreateTempSubdirectory("cog-dynsec-").FullName;
        var options = new ServerOptions
        {
            DataDirectory = Path.Combine(root, "data"),
            Api = { Urls = "http://127.0.0.1:0" },
            Broker =
            {
                Embedded = false,
                Url = $"mqtt://127.0.0.1:{mosquitto.Port}",
                UserName = Admin,
                Password = AdminPassword,
                DynamicSecurity = { Enabled = true },
            },
        };
        Assert.Empty(ServerOptionsValidator.Validate(options));
        // The server starts only once its transport's subscription to every relay's topics is granted: the role
        // cog-server the server gave its own login at start.
        await using (var server = await CogServer.StartAsync(options, new CollectingLoggerFactory(), TimeProvider.System, Token))
        {
            var home = Directory.CreateDirectory(Path.Combine(root, "home")).FullName;
            Assert.Equal(0, (await ServerEnvironment.CogctlInAsync(home, "", "profile", "create", "e2e", server.ApiUrl.ToString(),
                server.CreatedAdmin!.Username, server.CreatedAdmin.Password)).Code);
            Assert.NotEqual(MqttClientConnectResultCode.Success, await ConnectCodeAsync(mosquitto, "ghost", "ghost-token", "cog-relay-ghost"));

            var created = await ServerEnvironment.CogctlInAsync(home, "", "relay", "create", "edge", "--enable");
            Assert.True(created.Code == 0, created.ToString());
            var id = IdLine().Match(created.Output).Groups[1].Value;
            var token = TokenLine().Match(created.Output).Groups[1].Value;
            var other = await ServerEnvironment.CogctlInAsync(home, "", "relay", "create", "other", "--enable");
            Assert.True(other.Code == 0, other.ToString());
            var otherId = IdLine().Match(other.Output).Groups[1].Value;

            using (var relay = await ConnectAsync(mosquitto, id, token, "cog-relay-" + id))
            {
                Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await SubscribeAsync(relay, Topics.For(id, RelayTopic.Invocations)));
                Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, await SubscribeAsync(relay, Topics.For(otherId, RelayTopic.Invocations)));
                Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, await SubscribeAsync(relay, Topics.ForAllRelays(RelayTopic.Results)));
            }
            Assert.NotEqual(MqttClientConnectResultCode.Success, await ConnectCodeAsync(mosquitto, id, token, "cog-relay-" + otherId));
            Assert.NotEqual(MqttClientConnectResultCode.Success, await ConnectCodeAsync(mosquitto, id, "not-the-token", "cog-relay-" + id));

            Assert.Equal(0, (await ServerEnvironment.CogctlInAsync(home, "", "relay", "update", "edge", "--token", "a-new-token")).Code);
            Assert.NotEqual(MqttClientConnectResultCode.Success, await ConnectCodeAsync(mosquitto, id, token, "cog-relay-" + id));
            Assert.Equal(MqttClientConnectResultCode.Success, await ConnectCodeAsync(mosquitto, id, "a-new-token", "cog-relay-" + id));

            Assert.Equal(0, (await ServerEnvironment.CogctlInAsync(home, "", "relay", "disable", "edge")).Code);
            Assert.NotEqual(MqttClientConnectResultCode.Success, await ConnectCodeAsync(mosquitto, id, "a-new-token", "cog-relay-" + id));
            Assert.Equal(0, (await ServerEnvironment.CogctlInAsync(home, "", "relay", "enable", "edge")).Code);
            Assert.Equal(MqttClientConnectResultCode.Success, await ConnectCodeAsync(mosquitto, id, "a-new-token", "cog-relay-" + id));

            Assert.Equal(0, (await ServerEnvironment.CogctlInAsync(home, "", "relay", "delete", "edge")).Code);
            Assert.NotEqual(MqttClientConnectResultCode.Success, await ConnectCodeAsync(mosquitto, id, "a-new-token", "cog-relay-" + id));
        }
        Directory.Delete(root, recursive: true);
    }

    static string MosquittoDynamicSecurityRole(string relayId) => Cog.Runtime.Mqtt.Broker.MosquittoDynamicSecurity.RelayRolePrefix + relayId;

    static async Task<MqttClientConnectResultCode> ConnectCodeAsync(MosquittoProcess mosquitto, string user, string password, string clientId)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(Options(mosquitto, user, password, clientId), Token);
        return result.ResultCode;
    }

    static async Task<IMqttClient> ConnectAsync(MosquittoProcess mosquitto, string user, string password, string clientId)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(Options(mosquitto, user, password, clientId), Token);
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        return client;
    }

    static MqttClientOptions Options(MosquittoProcess mosquitto, string user, string password, string clientId) => new MqttClientOptionsBuilder()
        .WithTcpServer("127.0.0.1", mosquitto.Port)
        .WithProtocolVersion(MqttProtocolVersion.V500)
        .WithClientId(clientId)
        .WithCredentials(user, password)
        .WithCleanStart()
        .WithTimeout(TimeSpan.FromSeconds(30))
        .Build();

    static async Task<MqttClientSubscribeResultCode> SubscribeAsync(IMqttClient client, string filter)
    {
        var result = await client.SubscribeAsync(
            new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce).Build(), Token);
        return Assert.Single(result.Items).ResultCode;
    }

    [GeneratedRegex(@"^ID\s+(\S+)$", RegexOptions.Multiline)]
    private static partial Regex IdLine();

    [GeneratedRegex(@"^Token: (\S+)$", RegexOptions.Multiline)]
    private static partial Regex TokenLine();
}
