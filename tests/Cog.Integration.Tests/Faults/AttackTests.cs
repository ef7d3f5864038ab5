using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Cog.Integration.Tests.Support;

namespace Cog.Integration.Tests.Faults;

/// <summary>One <see cref="FaultWorld"/> shared by the attack scenarios of <see cref="AttackTests"/>.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AttackWorld : IAsyncLifetime
{
    FaultWorld? _world;

    internal FaultWorld World => _world!;

    public async ValueTask InitializeAsync() => _world = await FaultWorld.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_world is not null)
            await _world.DisposeAsync();
    }
}

/// <summary>The review's attacks on authorization and sign-in, repeated against the server process on PostgreSQL and
/// Mosquitto: a user without permissions taking over a built-in's name with a site alias, a rule regex that failed open
/// when its evaluation blew up, a cross-site form post firing a trigger, and password guessing.</summary>
[Trait("Category", "Adversarial")]
[Collection(AdversarialCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AttackTests(AttackWorld fixture) : IClassFixture<AttackWorld>
{
    FaultWorld World => fixture.World;

    static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Runs <paramref name="pipeline"/> through <c>POST /v1/pipelines</c> with <paramref name="token"/>; the
    /// answer must be a 200 with the pipeline.</summary>
    async Task<JsonElement> RunAsync(string pipeline, string token)
    {
        var (status, body) = await ApiRequests.SendAsync(World.Http, HttpMethod.Post, "/v1/pipelines", new { pipeline }, token, Token);
        Assert.True(status == HttpStatusCode.OK, $"POST /v1/pipelines {pipeline}: {(int)status} {body}");
        return body.GetProperty("pipeline");
    }

    /// <summary>The outcomes of the <c>invocation.decided</c> records of one pipeline.</summary>
    async Task<IReadOnlyList<string?>> DecisionsAsync(JsonElement pipeline)
    {
        var id = pipeline.GetProperty("id").GetString();
        return [.. (await World.AuditAsync()).Records
            .Where(r => r.GetProperty("kind").GetString() == "invocation.decided"
                && r.GetProperty("payload").GetProperty("pipeline_id").GetString() == id)
            .Select(AuditTrail.Outcome)];
    }

    static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task A_user_without_permissions_cannot_make_a_site_alias_that_hijacks_a_builtin()
    {
        var mallory = await World.CreateUserAsync(Unique("mallory"), "mallory-password-1");

        var created = await RunAsync("alias-create echo \"operable:echo hijacked\"", mallory);
        Assert.Equal("succeeded", created.GetProperty("status").GetString());
        foreach (var move in new[] { "alias-move user:echo site", "alias-move user:echo site --shadow", "alias-move user:echo site:echo --shadow" })
        {
            var moved = await RunAsync(move, mallory);
            Assert.True(moved.GetProperty("status").GetString() != "succeeded", $"{move}: {moved}");
            Assert.Equal(["denied"], await DecisionsAsync(moved));
        }

        var (status, aliases) = await World.SendAsync(HttpMethod.Post, "/v1/pipelines", new { pipeline = "alias-list site" });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain("hijacked", aliases.ToString(), StringComparison.Ordinal);
        var (_, echo) = await World.SendAsync(HttpMethod.Post, "/v1/pipelines", new { pipeline = "echo hello" });
        Assert.Equal("succeeded", echo.GetProperty("pipeline").GetProperty("status").GetString());
        Assert.Equal("hello", echo.GetProperty("pipeline").GetProperty("rendered").GetString()!.Trim());
    }

    [Fact]
    public async Task A_rule_whose_regex_would_backtrack_catastrophically_denies_instead_of_failing_open()
    {
        var (status, permission) = await World.SendAsync(HttpMethod.Post, "/v1/permissions", new { permission = new { name = "site:fixtures-admin" } });
        Assert.True(status == HttpStatusCode.Created, $"POST /v1/permissions: {(int)status} {permission}");
        (status, var rule) = await World.SendAsync(HttpMethod.Post, "/v1/rules", new
        {
            rule = @"when command is shell-fixtures:slow with arg[0] != /^(\w+\s?)*$/ must have site:fixtures-admin",
        });
        Assert.True(status == HttpStatusCode.Created, $"POST /v1/rules: {(int)status} {rule}");
        try
        {
            var eve = await World.CreateUserAsync(Unique("eve"), "eve-password-1");
            var marks = (await World.MarksAsync()).Count;

            var run = await RunAsync("shell-fixtures:slow 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa; rm -rf /'", eve);

            Assert.True(run.GetProperty("status").GetString() != "succeeded", run.ToString());
            Assert.Equal(["denied"], await DecisionsAsync(run));
            Assert.Equal(marks, (await World.MarksAsync()).Count);
        }
        finally
        {
            await World.SendAsync(HttpMethod.Delete, $"/v1/rules/{rule.GetProperty("id").GetString()}", null);
        }
    }

    [Fact]
    public async Task A_trigger_is_not_fired_by_name_without_a_token_nor_by_a_cross_site_form_post()
    {
        var name = Unique("deploy-hook");
        var (status, created) = await World.SendAsync(HttpMethod.Post, "/v1/triggers", new
        {
            trigger = new { name, pipeline = "shell-fixtures:slow 0", as_user = "admin", enabled = true },
        });
        Assert.True(status == HttpStatusCode.Created, $"POST /v1/triggers: {(int)status} {created}");
        var id = created.GetProperty("trigger").GetProperty("id").GetString()!;
        var head = (await World.AuditAsync()).Records[^1].GetProperty("sequence").GetInt64();
        var marks = (await World.MarksAsync()).Count;

        using (var byName = new HttpRequestMessage(HttpMethod.Post, $"/v1/triggers/{name}") { Content = new StringContent("{}", Encoding.UTF8, "application/json") })
        using (var answer = await World.Http.SendAsync(byName, Token))
            Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
        using (var forged = new HttpRequestMessage(HttpMethod.Post, $"/v1/triggers/{id}") { Content = new StringContent("ref=main&force=true", Encoding.UTF8) })
        {
            forged.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
            forged.Headers.Add("Origin", "http://evil.example");
            using var answer = await World.Http.SendAsync(forged, Token);
            Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
        }

        var since = (await World.AuditAsync()).Records.Where(r => r.GetProperty("sequence").GetInt64() > head).ToList();
        Assert.DoesNotContain(since, r => r.GetProperty("kind").GetString() == "pipeline.started");
        Assert.Equal(2, since.Count(r => r.GetProperty("kind").GetString() == "api.denied"));
        Assert.Equal(marks, (await World.MarksAsync()).Count);

        // The same trigger by its id, without an Origin, as a webhook sender calls it: it runs.
        using (var webhook = new HttpRequestMessage(HttpMethod.Post, $"/v1/triggers/{id}") { Content = new StringContent("{}", Encoding.UTF8, "application/json") })
        using (var answer = await World.Http.SendAsync(webhook, Token))
            Assert.True(answer.IsSuccessStatusCode, $"{(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync(Token)}");
        Assert.Equal(marks + 1, (await World.MarksAsync()).Count);
    }

    [Fact]
    public async Task Thirty_bad_passwords_from_one_address_are_throttled_audited_without_the_passwords_and_lock_out_the_right_one()
    {
        var victim = Unique("victim");
        const string password = "the-right-password-1";
        await World.CreateUserAsync(victim, password);
        // The guesses come from 127.0.0.2 (one address, not the administrator's), so the other scenarios can still sign in.
        using var attacker = new HttpClient(new SocketsHttpHandler { ConnectCallback = ConnectFromAsync(IPAddress.Parse("127.0.0.2")) })
        {
            BaseAddress = World.Http.BaseAddress,
        };
        var guess = Unique("guess-");

        var answers = new List<(HttpStatusCode Status, TimeSpan? RetryAfter)>();
        for (var i = 0; i < 30; i++)
            answers.Add(await SignInAsync(attacker, victim, $"{guess}-{i}"));
        var right = await SignInAsync(attacker, victim, password);

        var firstThrottled = answers.FindIndex(a => a.Status == HttpStatusCode.TooManyRequests);
        Assert.True(firstThrottled > 0, string.Join(", ", answers));
        Assert.All(answers.Take(firstThrottled), a => Assert.Equal(HttpStatusCode.Forbidden, a.Status));
        Assert.All(answers.Skip(firstThrottled), a => Assert.True(a.Status == HttpStatusCode.TooManyRequests && a.RetryAfter > TimeSpan.Zero, a.ToString()));
        Assert.Equal(HttpStatusCode.TooManyRequests, right.Status);
        Assert.NotNull(right.RetryAfter);

        var records = (await World.AuditAsync()).Records;
        Assert.True(records.Count(r => r.GetProperty("kind").GetString() == "auth.failed" && r.ToString().Contains(victim, StringComparison.Ordinal)) >= 30);
        Assert.DoesNotContain(records, r => r.ToString().Contains(guess, StringComparison.Ordinal) || r.ToString().Contains(password, StringComparison.Ordinal));
    }

    static async Task<(HttpStatusCode Status, TimeSpan? RetryAfter)> SignInAsync(HttpClient http, string username, string password)
    {
        using var request = ApiRequests.Request(HttpMethod.Post, "/v1/token", new { username, password }, null);
        using var answer = await http.SendAsync(request, Token);
        return (answer.StatusCode, answer.Headers.RetryAfter?.Delta);
    }

    /// <summary>Connects from <paramref name="source"/> (any 127.x address is loopback on Linux).</summary>
    static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> ConnectFromAsync(IPAddress source) => async (context, cancellationToken) =>
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    };
}
