using System.Collections.Concurrent;
using System.Globalization;
using Cog.Integration.Tests.Faults;
using Cog.Integration.Tests.Support;
using Cog.Testing;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Npgsql;

namespace Cog.Integration.Tests.Failover;

/// <summary>The figures of the capacity model, printed (not asserted: they depend on the machine): pipelines per second
/// through one server and through two behind HAProxy (same PostgreSQL, same machine), for a built-in command and for a
/// relay command (one relay: its invocations per second); audit appends per second on PostgreSQL; MQTT messages per
/// pipeline, counted at Mosquitto by a subscriber to the relay tree. What is asserted: every pipeline succeeded, both
/// servers took work, and each relay pipeline was dispatched once (one invocation message).</summary>
[Trait("Category", "Failover")]
[Collection(FailoverCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ClusterFigures() : FaultScenario(servers: 2)
{
    /// <summary>How long each rate is measured, after a warm-up of one pipeline per client.</summary>
    static readonly TimeSpan Window = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task Throughput_of_one_and_two_servers_audit_appends_and_broker_messages_per_pipeline()
    {
        var tokens = await World.ClientTokensAsync(Clients);
        var one = World.Servers[0].ApiUrl;
        var both = World.LoadBalancer.Url;

        var echoOne = await MeasureAsync(one, tokens, "echo hi");
        var auditBefore = await AuditHeadAsync();
        var echoBoth = await MeasureAsync(both, tokens, "echo hi");
        var auditAppends = (await AuditHeadAsync() - auditBefore) / echoBoth.Elapsed.TotalSeconds;
        Assert.True(echoBoth.PerServer.All(n => n > 0), "both servers should take pipelines through HAProxy");
        var relayOne = await MeasureAsync(one, tokens, "shell-fixtures:slow 0");
        var messages = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        using (var observer = await ObserveBrokerAsync(messages))
        {
            var relayBoth = await MeasureAsync(both, tokens, "shell-fixtures:slow 0");
            // Every pipeline of the phase is answered; the last receipts follow their results within moments.
            await Task.Delay(TimeSpan.FromSeconds(1), Token);
            await observer.DisconnectAsync(cancellationToken: Token);
            Assert.Equal(relayBoth.Pipelines, messages.GetValueOrDefault("invocations"));

            Report($"echo (built-in), one server:       {Rate(echoOne)} pipelines/s");
            Report($"echo (built-in), two servers:      {Rate(echoBoth)} pipelines/s (ratio {Ratio(echoBoth, echoOne)})");
            Report($"audit appends on PostgreSQL:       {auditAppends.ToString("0", CultureInfo.InvariantCulture)} records/s (during the two-server echo load)");
            Report($"relay command, one server:         {Rate(relayOne)} pipelines/s = invocations/s of the one relay");
            Report($"relay command, two servers:        {Rate(relayBoth)} pipelines/s (ratio {Ratio(relayBoth, relayOne)})");
            Report($"broker messages per relay pipeline ({relayBoth.Pipelines} pipelines): "
                + string.Join(", ", messages.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => $"{m.Key} {(m.Value / (double)relayBoth.Pipelines).ToString("0.00", CultureInfo.InvariantCulture)}")));
        }
    }

    sealed record Measure(int Pipelines, double PerSecond, TimeSpan Elapsed, int[] PerServer);

    /// <summary>Runs <paramref name="pipeline"/> from every client against <paramref name="url"/>: a warm-up, then
    /// <see cref="Window"/> during which the answers are counted; every answer must be a success.</summary>
    async Task<Measure> MeasureAsync(Uri url, IReadOnlyList<string> tokens, string pipeline)
    {
        var logged = World.LoadBalancer.Log.Count;
        var load = LoadDriver.Start(url, tokens, pipeline);
        await Eventually.TrueAsync(() => load.Succeeded >= tokens.Count, $"the first '{pipeline}' to succeed", TimeSpan.FromSeconds(60));
        var from = load.Elapsed;
        await Task.Delay(Window, Token); // the measuring window, not a wait for something
        var to = load.Elapsed;
        var answers = await load.StopAsync();
        var failed = answers.Where(a => a.Run?.Status != "succeeded").ToList();
        Assert.True(failed.Count == 0, $"'{pipeline}' did not succeed:\n{string.Join("\n", failed.Take(10))}\n{World.Consoles()}");
        var counted = answers.Count(a => a.Answered >= from && a.Answered < to);
        var log = World.LoadBalancer.Log.Skip(logged).ToList();
        int[] perServer = [.. Enumerable.Range(0, World.Servers.Count).Select(i => log.Count(l => l.Contains($"servers/{HaproxyProcess.ServerName(i)} ", StringComparison.Ordinal)))];
        return new Measure(answers.Count, counted / (to - from).TotalSeconds, to - from, perServer);
    }

    async Task<long> AuditHeadAsync()
    {
        await using var connection = new NpgsqlConnection(World.DatabaseConnectionString);
        await connection.OpenAsync(Token);
        await using var command = new NpgsqlCommand("SELECT COALESCE(MAX(sequence), 0) FROM audit_records", connection);
        return (long)(await command.ExecuteScalarAsync(Token))!;
    }

    /// <summary>A subscriber to every relay topic with the servers' broker login, counting messages by kind (the last
    /// topic level: <c>invocations</c>, <c>acks</c>, <c>results</c>, <c>receipts</c>...).</summary>
    async Task<IMqttClient> ObserveBrokerAsync(ConcurrentDictionary<string, int> messages)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e =>
        {
            messages.AddOrUpdate(e.ApplicationMessage.Topic[(e.ApplicationMessage.Topic.LastIndexOf('/') + 1)..], 1, static (_, n) => n + 1);
            return Task.CompletedTask;
        };
        var (user, password) = World.ServerBrokerLogin;
        await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", World.Mosquitto.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId("cog-figures-observer")
            .WithCredentials(user, password)
            .Build(), Token);
        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter("cog/v1/relays/#", MqttQualityOfServiceLevel.AtMostOnce).Build(), Token);
        return client;
    }

    static string Rate(Measure m) => m.PerSecond.ToString("0.0", CultureInfo.InvariantCulture);

    static string Ratio(Measure two, Measure one) => (two.PerSecond / one.PerSecond).ToString("0.00", CultureInfo.InvariantCulture);

    static void Report(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);
}
