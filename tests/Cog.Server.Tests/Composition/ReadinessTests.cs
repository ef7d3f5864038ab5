using System.Net;
using System.Text.Json;
using Cog.Runtime.Bundles;
using Cog.Server.Composition;
using Cog.Server.Configuration;
using Cog.Testing;

namespace Cog.Server.Tests.Composition;

/// <summary>Readiness beyond the store: the broker connection, and a relay online for every enabled bundle.</summary>
public sealed class ReadinessTests : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("cog-ready-").FullName;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task An_enabled_bundle_that_no_relay_serves_makes_the_server_degraded_naming_it_and_the_broker_is_checked()
    {
        var options = new ServerOptions
        {
            DataDirectory = Path.Combine(_root, "data"),
            Api = { Urls = "http://127.0.0.1:0" },
            Broker = { Port = 0 },
        };
        await using var server = await CogServer.StartAsync(options, new CollectingLoggerFactory(), TimeProvider.System, Ct);
        var installed = await server.Registry.InstallManifestAsync("""
            cog_bundle_version: 5
            name: lonely
            description: A bundle no relay serves
            version: "1.2.3"
            commands:
              go:
                executable: /bin/true
                rules:
                  - allow
            """, enable: true, Ct);
        installed.GetValueOrThrow();

        using var http = new HttpClient { BaseAddress = server.ApiUrl };
        using var ready = await http.GetAsync(new Uri("/health/ready", UriKind.Relative), Ct);
        using var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync(Ct));

        // Degraded, not unready: the server answers, only that bundle's commands cannot run.
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("degraded", body.RootElement.GetProperty("status").GetString());
        var relays = body.RootElement.GetProperty("checks").GetProperty("relays");
        Assert.Equal("degraded", relays.GetProperty("status").GetString());
        Assert.Equal("No relay online serves these enabled bundles, so their commands cannot run: lonely 1.2.3.",
            relays.GetProperty("description").GetString());
        // The built-in bundle runs in the server: never reported. The embedded broker is connected.
        Assert.DoesNotContain(Bundle.BuiltInName, relays.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("healthy", body.RootElement.GetProperty("checks").GetProperty("broker").GetProperty("status").GetString());
    }
}
