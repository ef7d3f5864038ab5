using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cog.Api.Relays;
using Cog.Contracts.Relays;
using Cog.Runtime.Relays;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cog.Api.Tests.Relays;

/// <summary>The relays' package download on a real Kestrel, on a loopback port chosen by the system.</summary>
public sealed class RelayPackageEndpointsTests : IAsyncLifetime
{
    static readonly byte[] Archive = [0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5];
    static readonly byte[] Manifest = Encoding.UTF8.GetBytes("cog_bundle_version: 5\nname: ec2\n");

    readonly InMemoryRelayCredentialStore _credentials = new();
    readonly InMemoryRelayPackageSource _packages = new();
    readonly HttpClient _http = new();
    WebApplication? _app;
    string _tokenA = "";
    string _tokenB = "";

    static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _tokenA = _credentials.Create("relay-a");
        _tokenB = _credentials.Create("relay-b");
        _packages.Add("deploy", "1.4.0", PackageFormat.Archive, Archive);
        _packages.Add("ec2", "0.5.0", PackageFormat.Manifest, Manifest);
        _packages.Assign("relay-a", "deploy", "1.4.0");
        _packages.Assign("relay-a", "ec2", "0.5.0");

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IRelayCredentialStore>(_credentials);
        builder.Services.AddSingleton<IRelayPackageSource>(_packages);
        _app = builder.Build();
        _app.MapRelayPackageEndpoints();
        await _app.StartAsync(Token);
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        _http.BaseAddress = new Uri(address);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (_app is not null)
            await _app.DisposeAsync();
    }

    Task<HttpResponseMessage> GetAsync(string path, string? user, string? password, string scheme = "Basic")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (user is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue(scheme, Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return _http.SendAsync(request, Token);
    }

    static async Task<string> DetailAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        Assert.Equal((int)response.StatusCode, problem.RootElement.GetProperty("status").GetInt32());
        return problem.RootElement.GetProperty("detail").GetString()!;
    }

    [Fact]
    public async Task An_assigned_archive_is_served_with_its_type_length_and_digest()
    {
        using var response = await GetAsync("/v1/relays/relay-a/packages/deploy/1.4.0", "relay-a", _tokenA);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Archive, await response.Content.ReadAsByteArrayAsync(Token));
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Archive.Length, response.Content.Headers.ContentLength);
        var hash = SHA256.HashData(Archive);
        Assert.Equal($"\"sha256:{Convert.ToHexStringLower(hash)}\"", response.Headers.ETag?.Tag);
        Assert.Equal($"sha-256=:{Convert.ToBase64String(hash)}:", Assert.Single(response.Headers.GetValues("Repr-Digest")));
    }

    [Fact]
    public async Task A_manifest_package_is_served_as_yaml()
    {
        using var response = await GetAsync("/v1/relays/relay-a/packages/ec2/0.5.0", "relay-a", _tokenA);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/yaml", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Manifest, await response.Content.ReadAsByteArrayAsync(Token));
    }

    [Theory]
    [InlineData(null, null, "Basic")]
    [InlineData("relay-a", "wrong-token", "Basic")]
    [InlineData("relay-z", "any-token", "Basic")]
    [InlineData("Relay-A", "any-token", "Basic")]
    [InlineData("relay-a", "TOKEN_A", "Bearer")]
    public async Task Missing_wrong_or_unknown_credentials_get_401_with_a_challenge(string? user, string? password, string scheme)
    {
        using var response = await GetAsync("/v1/relays/relay-a/packages/deploy/1.4.0", user, password == "TOKEN_A" ? _tokenA : password, scheme);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic realm=\"cog-relays\", charset=\"UTF-8\"", Assert.Single(response.Headers.WwwAuthenticate).ToString());
        Assert.Equal("Authenticate with the relay's id and token (HTTP basic authentication).", await DetailAsync(response));
    }

    [Fact]
    public async Task A_header_that_is_not_base64_gets_401()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/relays/relay-a/packages/deploy/1.4.0");
        request.Headers.TryAddWithoutValidation("Authorization", "Basic !!!not-base64!!!");

        using var response = await _http.SendAsync(request, Token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_relay_asking_for_another_relays_package_url_gets_403()
    {
        using var response = await GetAsync("/v1/relays/relay-a/packages/deploy/1.4.0", "relay-b", _tokenB);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Relay relay-b may not download the packages of relay relay-a.", await DetailAsync(response));
    }

    [Fact]
    public async Task A_package_not_assigned_to_the_relay_gets_403()
    {
        using var response = await GetAsync("/v1/relays/relay-b/packages/deploy/1.4.0", "relay-b", _tokenB);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Bundle deploy 1.4.0 is not assigned to relay relay-b.", await DetailAsync(response));
    }

    [Fact]
    public async Task A_disabled_relay_gets_403_once_its_token_is_checked()
    {
        _credentials.SetEnabled("relay-a", false);

        using var disabled = await GetAsync("/v1/relays/relay-a/packages/deploy/1.4.0", "relay-a", _tokenA);
        using var wrong = await GetAsync("/v1/relays/relay-a/packages/deploy/1.4.0", "relay-a", "wrong");

        Assert.Equal(HttpStatusCode.Forbidden, disabled.StatusCode);
        Assert.Equal("Relay relay-a is disabled.", await DetailAsync(disabled));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
    }

    [Fact]
    public async Task An_unknown_package_gets_404()
    {
        using var response = await GetAsync("/v1/relays/relay-a/packages/deploy/9.9.9", "relay-a", _tokenA);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("There is no package of bundle deploy 9.9.9.", await DetailAsync(response));
    }

    [Theory]
    [InlineData("Basic cmVsYXktYTpzZWNyZXQ6d2l0aDpjb2xvbnM=", true, "relay-a", "secret:with:colons")]
    [InlineData("basic cmVsYXktYTpzZWNyZXQ=", true, "relay-a", "secret")]
    [InlineData("Basic cmVsYXktYQ==", false, "", null)]
    [InlineData("Basic", false, "", null)]
    [InlineData(null, false, "", null)]
    public void Basic_credentials_are_read_up_to_the_first_colon(string? header, bool ok, string relayId, string? token)
    {
        Assert.Equal(ok, RelayPackageEndpoints.TryReadBasic(header, out var readId, out var readToken));
        Assert.Equal((relayId, token), (readId, readToken));
    }
}
