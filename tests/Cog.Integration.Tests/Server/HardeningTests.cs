using System.Net;
using System.Net.Http.Headers;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cog.Integration.Tests.Support;
using Cog.Relay.Hosting;
using Cog.Server.Composition;
using Cog.Server.Configuration;
using Cog.Testing;
using MQTTnet;
using MQTTnet.Formatter;

namespace Cog.Integration.Tests.Server;

/// <summary>A server configured as the operations guide's "TLS" and "Reverse proxy" sections say: the API over https and
/// the embedded broker's TLS listener with certificates a private authority signed (both renewed without a restart),
/// cogctl and the relay trusting that authority, forwarded headers from a trusted proxy, and a scrape token on
/// <c>/metrics</c>.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class HardeningTests(HardeningTests.TlsServer server) : IClassFixture<HardeningTests.TlsServer>
{
    static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_api_serves_https_with_the_configured_certificate_and_a_renewed_one_without_a_restart()
    {
        Assert.Equal("https", server.Server.ApiUrl.Scheme);
        Assert.Equal(server.ApiThumbprint, await ApiCertificateAsync());

        var renewed = server.Authority.IssueServerCertificate(server.ApiCertificate, server.ApiKey, "renewed-api");

        Assert.NotEqual(server.ApiThumbprint, renewed);
        Assert.Equal(renewed, await ApiCertificateAsync());
        server.ApiThumbprint = renewed;
    }

    [Fact]
    public async Task A_relay_created_with_only_a_name_connects_to_the_brokers_tls_listener_with_the_printed_token()
    {
        var created = await server.CogctlAsync("relay", "create", "tls-edge", "--enable");
        Assert.True(created.Code == 0, created.ToString());
        var id = IdLine().Match(created.Output).Groups[1].Value;
        var token = TokenLine().Match(created.Output).Groups[1].Value;
        Assert.Equal(43, token.Length);

        var (result, thumbprint) = await ConnectRelayAsync(id, token);
        Assert.Equal(MqttClientConnectResultCode.Success, result);
        Assert.Equal(server.BrokerThumbprint, thumbprint);

        var renewed = server.Authority.IssueServerCertificate(server.BrokerCertificate, server.BrokerKey, "renewed-broker");
        var (again, renewedThumbprint) = await ConnectRelayAsync(id, token);
        Assert.Equal(MqttClientConnectResultCode.Success, again);
        Assert.Equal(renewed, renewedThumbprint);
        server.BrokerThumbprint = renewed;

        var (wrong, _) = await ConnectRelayAsync(id, "not-the-token");
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, wrong);
    }

    [Fact]
    public async Task Cogctl_reaches_the_https_api_only_when_it_trusts_the_private_authority()
    {
        var url = server.Server.ApiUrl.ToString();
        var admin = server.Server.CreatedAdmin!;
        var home = Directory.CreateDirectory(Path.Combine(server.Root, "home-" + Guid.NewGuid().ToString("N"))).FullName;
        Assert.Equal(0, (await ServerEnvironment.CogctlInAsync(home, "", "profile", "create", "plain", url, admin.Username, admin.Password)).Code);

        var untrusted = await ServerEnvironment.CogctlInAsync(home, "", "relay", "--profile", "plain");
        var trusted = await ServerEnvironment.CogctlInAsync(home, "", "relay", "--profile", "plain", "--ca-file", server.CaFile);
        Assert.Equal(0, (await ServerEnvironment.CogctlInAsync(home, "", "profile", "create", "private-ca", url, admin.Username, admin.Password,
            "--ca-file", server.CaFile)).Code);
        var fromProfile = await ServerEnvironment.CogctlInAsync(home, "", "relay", "--profile", "private-ca");
        var missing = await ServerEnvironment.CogctlInAsync(home, "", "relay", "--profile", "plain", "--ca-file", Path.Combine(home, "none.pem"));

        Assert.NotEqual(0, untrusted.Code);
        Assert.Contains("Error: ", untrusted.Error, StringComparison.Ordinal);
        Assert.True(trusted.Code == 0, trusted.ToString());
        Assert.True(fromProfile.Code == 0, fromProfile.ToString());
        Assert.Contains($"ca_file = {server.CaFile}", await File.ReadAllTextAsync(Path.Combine(home, ".cogctl"), Token), StringComparison.Ordinal);
        Assert.Equal(2, missing.Code);
        Assert.Contains("cannot read the certificate authority file", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_relays_download_client_trusts_its_ca_certificate_for_the_https_server()
    {
        var url = new Uri(server.Server.ApiUrl, "/health/live");
        using var trusting = ServerHttpClient.Create(new RelayOptions { CaCertificateFile = server.CaFile }, TimeSpan.FromSeconds(30));
        using var systemOnly = ServerHttpClient.Create(new RelayOptions(), TimeSpan.FromSeconds(30));

        using var answer = await trusting.GetAsync(url, Token);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => systemOnly.GetAsync(url, Token));

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.IsType<AuthenticationException>(refused.InnerException);
    }

    [Fact]
    public async Task Forwarded_headers_from_a_trusted_proxy_set_the_scheme_and_host_the_api_answers_with()
    {
        using var request = ApiRequests.Request(HttpMethod.Post, "/v1/triggers", new { trigger = new { name = "forwarded", pipeline = "echo hi" } }, server.AdminToken);
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "cog.example.com");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        using var response = await server.Http.SendAsync(request, Token);
        var trigger = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token)).RootElement.GetProperty("trigger");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.StartsWith("https://cog.example.com/v1/triggers/", trigger.GetProperty("invocation_url").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_need_the_scrape_token_and_an_allowed_client_address_seen_through_the_trusted_proxy()
    {
        using var none = await ScrapeAsync(server.Http, null, Prometheus);
        using var wrong = await ScrapeAsync(server.Http, "Bearer not-it", Prometheus);
        using var right = await ScrapeAsync(server.Http, "Bearer " + TlsServer.ScrapeToken, Prometheus);
        using var elsewhere = await ScrapeAsync(server.Http, "Bearer " + TlsServer.ScrapeToken, "198.51.100.9");

        Assert.Equal(HttpStatusCode.Forbidden, elsewhere.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("Bearer", none.Headers.WwwAuthenticate.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("# TYPE", await right.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_untrusted_peer_cannot_forge_its_origin_and_metrics_answer_only_allowed_networks()
    {
        var root = Directory.CreateTempSubdirectory("cog-untrusted-").FullName;
        var options = new ServerOptions
        {
            DataDirectory = Path.Combine(root, "data"),
            Api = { Urls = "http://127.0.0.1:0", TrustedProxies = ["10.0.0.0/8"] },
            Broker = { Port = 0 },
            Metrics = { AllowedNetworks = ["10.0.0.0/8", "192.0.2.1"] },
        };
        Assert.Empty(ServerOptionsValidator.Validate(options));
        await using (var other = await CogServer.StartAsync(options, new CollectingLoggerFactory(), TimeProvider.System, Token))
        {
            using var http = new HttpClient { BaseAddress = other.ApiUrl };
            var admin = await ApiRequests.TokenAsync(http, other.CreatedAdmin!.Username, other.CreatedAdmin.Password, Token);

            using var request = ApiRequests.Request(HttpMethod.Post, "/v1/triggers", new { trigger = new { name = "forged", pipeline = "echo hi" } }, admin);
            request.Headers.Add("X-Forwarded-Proto", "https");
            request.Headers.Add("X-Forwarded-Host", "evil.example.com");
            request.Headers.Add("X-Forwarded-For", "10.1.2.3");
            using var created = await http.SendAsync(request, Token);
            var trigger = JsonDocument.Parse(await created.Content.ReadAsStringAsync(Token)).RootElement.GetProperty("trigger");
            using var scrape = new HttpRequestMessage(HttpMethod.Get, "/metrics");
            scrape.Headers.Add("X-Forwarded-For", "10.1.2.3");
            using var metrics = await http.SendAsync(scrape, Token);

            Assert.StartsWith($"{other.ApiUrl.ToString().TrimEnd('/')}/v1/triggers/", trigger.GetProperty("invocation_url").GetString(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Forbidden, metrics.StatusCode);
        }
        Directory.Delete(root, recursive: true);
    }

    /// <summary>The scraper's address as the trusted proxy (loopback) forwards it.</summary>
    const string Prometheus = "203.0.113.7";

    static async Task<HttpResponseMessage> ScrapeAsync(HttpClient http, string? authorization, string forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        if (authorization is not null)
            request.Headers.Authorization = AuthenticationHeaderValue.Parse(authorization);
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return await http.SendAsync(request, Token);
    }

    /// <summary>The thumbprint of the certificate a new connection to the API is served.</summary>
    async Task<string> ApiCertificateAsync()
    {
        string? seen = null;
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                seen = certificate!.Thumbprint;
                return TrustedByAuthority(certificate);
            },
        };
        using var http = new HttpClient(handler) { BaseAddress = server.Server.ApiUrl };
        using var answer = await http.GetAsync("/health/live", Token);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        return seen!;
    }

    /// <summary>Connects to the broker's TLS listener as relay <paramref name="id"/>; the answer and the certificate's
    /// thumbprint.</summary>
    async Task<(MqttClientConnectResultCode Result, string? Thumbprint)> ConnectRelayAsync(string id, string token)
    {
        string? seen = null;
        using var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("localhost", server.Server.Broker!.TlsPort!.Value)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId("cog-relay-" + id)
            .WithCredentials(id, token)
            .WithTlsOptions(tls => tls.UseTls().WithCertificateValidationHandler(e =>
            {
                seen = e.Certificate.GetCertHashString();
                return TrustedByAuthority(e.Certificate);
            }))
            .WithTimeout(TimeSpan.FromSeconds(30))
            .Build();
        var result = await client.ConnectAsync(options, Token);
        return (result.ResultCode, seen);
    }

    bool TrustedByAuthority(X509Certificate certificate)
    {
        using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(server.Authority.Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(presented);
    }

    [GeneratedRegex(@"^ID\s+(\S+)$", RegexOptions.Multiline)]
    private static partial Regex IdLine();

    [GeneratedRegex(@"^Token: (\S+)$", RegexOptions.Multiline)]
    private static partial Regex TokenLine();

    /// <summary>One server for the class: https API and TLS broker listener with certificates of <see cref="Authority"/>,
    /// loopback trusted as a proxy, a scrape token and an allowed network on <c>/metrics</c>; no dev relay.</summary>
    public sealed class TlsServer : IAsyncLifetime
    {
        public const string ScrapeToken = "scrape-secret";

        CogServer? _server;

        public PrivateCertificateAuthority Authority { get; } = new();

        public string Root { get; } = Directory.CreateTempSubdirectory("cog-tls-").FullName;

        public string CaFile => Path.Combine(Root, "ca.pem");

        public string ApiCertificate => Path.Combine(Root, "api.pem");

        public string ApiKey => Path.Combine(Root, "api.key");

        public string BrokerCertificate => Path.Combine(Root, "broker.pem");

        public string BrokerKey => Path.Combine(Root, "broker.key");

        public string ApiThumbprint { get; set; } = "";

        public string BrokerThumbprint { get; set; } = "";

        internal CogServer Server => _server ?? throw new InvalidOperationException("The server is not started.");

        /// <summary>A client of the API trusting <see cref="Authority"/>.</summary>
        public HttpClient Http { get; private set; } = null!;

        public string AdminToken { get; private set; } = "";

        string Home => Path.Combine(Root, "home");

        internal Task<ServerEnvironment.CliResult> CogctlAsync(params string[] args) => ServerEnvironment.CogctlInAsync(Home, "", args);

        public async ValueTask InitializeAsync()
        {
            Authority.WriteCertificate(CaFile);
            ApiThumbprint = Authority.IssueServerCertificate(ApiCertificate, ApiKey);
            BrokerThumbprint = Authority.IssueServerCertificate(BrokerCertificate, BrokerKey, "broker");
            var options = new ServerOptions
            {
                DataDirectory = Path.Combine(Root, "data"),
                Api =
                {
                    Urls = "https://127.0.0.1:0",
                    Certificate = { Path = ApiCertificate, KeyPath = ApiKey },
                    TrustedProxies = ["127.0.0.1"],
                },
                Broker = { Port = 0, Tls = { Port = 0, Certificate = { Path = BrokerCertificate, KeyPath = BrokerKey } } },
                Metrics = { Token = ScrapeToken, AllowedNetworks = ["203.0.113.0/24"] },
            };
            Assert.Empty(ServerOptionsValidator.Validate(options));
            _server = await CogServer.StartAsync(options, new CollectingLoggerFactory(), TimeProvider.System, TestContext.Current.CancellationToken);
            Http = ServerTrustingClient();
            var admin = Server.CreatedAdmin!;
            AdminToken = await ApiRequests.TokenAsync(Http, admin.Username, admin.Password, TestContext.Current.CancellationToken);
            Directory.CreateDirectory(Home);
            var profile = await CogctlAsync("profile", "create", "tls", Server.ApiUrl.ToString(), admin.Username, admin.Password, "--ca-file", CaFile);
            Assert.True(profile.Code == 0, profile.ToString());
        }

        HttpClient ServerTrustingClient()
        {
            var handler = new SocketsHttpHandler();
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.Add(Authority.Certificate);
            handler.SslOptions.CertificateChainPolicy = policy;
            return new HttpClient(handler) { BaseAddress = Server.ApiUrl };
        }

        public async ValueTask DisposeAsync()
        {
            Http?.Dispose();
            if (_server is not null)
                await _server.DisposeAsync();
            Authority.Dispose();
            Directory.Delete(Root, recursive: true);
        }
    }
}
