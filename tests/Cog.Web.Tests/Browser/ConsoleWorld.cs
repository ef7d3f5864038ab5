using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cog.Server.Composition;
using Cog.Server.Configuration;
using Cog.Testing;
using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(Cog.Web.Tests.Browser.ConsoleWorld))]

namespace Cog.Web.Tests.Browser;

/// <summary>One whole Cog server in-process (SQLite in a temporary folder, free ports, the first-start administrator)
/// and one headless Debian Chromium driven by Playwright, shared by every test of the assembly. Each test opens its own
/// browser context (its own sessionStorage).</summary>
public sealed class ConsoleWorld : IAsyncLifetime
{
    /// <summary>Debian's Chromium: the tests never download a browser.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    string _root = "";
    int _names;
    CogServer? _server;
    IPlaywright? _playwright;
    IBrowser? _browser;

    internal CogServer Server => _server ?? throw new InvalidOperationException("Not started.");

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Not started.");

    public Uri Url => Server.ApiUrl;

    public string AdminUsername => Server.CreatedAdmin!.Username;

    public string AdminPassword => Server.CreatedAdmin!.Password;

    public HttpClient Http { get; private set; } = null!;

    public string AdminToken { get; private set; } = "";

    public CollectingLoggerFactory Log { get; } = new();

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            // Never a skip: without the browser the console is untested, and CI must say so.
            throw new InvalidOperationException(
                $"The web console's browser tests need Debian's Chromium at {ChromiumPath}: run ./build.sh test (it installs it) or apt-get install chromium.");
        }
        _root = Directory.CreateTempSubdirectory("cog-web-").FullName;
        var options = new ServerOptions
        {
            DataDirectory = Path.Combine(_root, "data"),
            InstanceName = "console",
            Api = { Urls = "http://127.0.0.1:0" },
            Broker = { Port = 0 },
        };
        _server = await CogServer.StartAsync(options, Log, TimeProvider.System, Ct);
        Http = new HttpClient { BaseAddress = _server.ApiUrl, Timeout = TimeSpan.FromSeconds(60) };
        AdminToken = await TokenAsync(AdminUsername, AdminPassword);

        // Generous on a loaded two-core machine; the normal path takes well under a second.
        Assertions.SetDefaultExpectTimeout(20_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // The flags a CI machine needs: no sandbox as root, and no background
            // networking, which the closed network would refuse.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>A name unique in this run.</summary>
    public string NewName(string prefix) => $"{prefix}{Interlocked.Increment(ref _names)}";

    /// <summary>A new page in its own context (fresh sessionStorage) that fails the test on any page error or any
    /// Content-Security-Policy violation.</summary>
    public async Task<(IBrowserContext Context, IPage Page, List<string> Problems)> NewPageAsync(int width = 1280, int height = 800)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        page.PageError += (_, error) => { lock (problems) problems.Add("page error: " + error); };
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Text.Contains("403", StringComparison.Ordinal))
            {
                lock (problems)
                    problems.Add("console: " + message.Text);
            }
        };
        return (context, page, problems);
    }

    /// <summary>Opens the console and signs in.</summary>
    public async Task SignInAsync(IPage page, string username, string password)
    {
        await page.GotoAsync(Url.ToString());
        await page.GetByLabel("Username").FillAsync(username);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
    }

    /// <summary>Creates a user with no group (so no permission) and answers their password.</summary>
    public async Task<string> CreateUserAsync(string username)
    {
        const string password = "correct-horse-battery";
        var (status, body) = await SendAsync(HttpMethod.Post, "/v1/users",
            new { user = new { username, password, email_address = $"{username}@example.com", first_name = username } }, AdminToken);
        Assert.True(status == HttpStatusCode.Created, body.ToString());
        return password;
    }

    /// <summary>Creates a user in the <c>cog-admin</c> group (every permission) and answers their password: a test that
    /// counts the messages of its own direct room signs in as one, since the tests of the assembly run at once and the
    /// first-start administrator's direct room is shared by all of them.</summary>
    public async Task<string> CreateAdministratorAsync(string username)
    {
        var password = await CreateUserAsync(username);
        var adminGroup = await IdAsync("groups", "cog-admin");
        var (status, body) = await SendAsync(HttpMethod.Post, $"/v1/groups/{adminGroup}/users", new { users = new { add = new[] { username } } }, AdminToken);
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        return password;
    }

    /// <summary>The id of the role or group (<paramref name="collection"/>: <c>roles</c>, <c>groups</c>) named
    /// <paramref name="name"/>.</summary>
    public async Task<string> IdAsync(string collection, string name)
    {
        var (_, list) = await SendAsync(HttpMethod.Get, "/v1/" + collection, null, AdminToken);
        return list.GetProperty(collection).EnumerateArray().Single(e => e.GetProperty("name").GetString() == name).GetProperty("id").GetString()!;
    }

    public async Task<string> TokenAsync(string username, string password)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/v1/token", new { username, password }, null);
        Assert.Equal(HttpStatusCode.Created, status);
        return body.GetProperty("token").GetProperty("value").GetString()!;
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, object? body, string? token)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
            request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("token", token);
        using var response = await Http.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
            await _browser.DisposeAsync();
        _playwright?.Dispose();
        Http?.Dispose();
        if (_server is not null)
            await _server.DisposeAsync();
        try
        {
            if (_root.Length > 0)
                Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
