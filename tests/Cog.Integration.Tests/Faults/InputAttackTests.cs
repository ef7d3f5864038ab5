using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Cog.Integration.Tests.Faults;

/// <summary>The review's oversized and deeply nested inputs against the server process: each one is refused with its
/// 4xx (400 for a malformed body, 422 for an invalid value; never a 5xx, never a hang), the server answers normal
/// requests afterwards, and its resident memory after the attacks is back within <see cref="MemoryMarginBytes"/> of
/// what it was after warm-up (the review saw 131 MB grow to 964 MB and stay there). Each answer's time and both memory
/// figures go to the test output.</summary>
[Trait("Category", "Adversarial")]
[Collection(AdversarialCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class InputAttackTests : FaultScenario
{
    /// <summary>How much the server's resident memory may grow over the attacks: room for the heap the requests leave
    /// to the next collection, far below the growth an unbounded input caused.</summary>
    const long MemoryMarginBytes = 100L * 1024 * 1024;

    /// <summary>Not a performance figure: an answer slower than this is a hang.</summary>
    static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(10);

    /// <summary>Each attack: its name, the route, the body's bytes, its content type and the status that refuses it.</summary>
    static IEnumerable<(string Name, HttpMethod Method, string Path, byte[] Body, string ContentType, HttpStatusCode Refusal)> Attacks()
    {
        static byte[] Json(object body) => JsonSerializer.SerializeToUtf8Bytes(body);
        static string Repeat(string text, int count) => new StringBuilder(text.Length * count).Insert(0, text, count).ToString();
        const string json = "application/json";
        const HttpStatusCode invalid = HttpStatusCode.UnprocessableEntity, malformed = HttpStatusCode.BadRequest;

        yield return ("echo with 520,000 arguments (~1 MB)", HttpMethod.Post, "/v1/pipelines", Json(new { pipeline = "echo" + Repeat(" a", 520_000) }), json, invalid);
        yield return ("a 10,000-stage pipeline", HttpMethod.Post, "/v1/pipelines", Json(new { pipeline = "echo a" + Repeat(" | echo a", 9_999) }), json, invalid);
        yield return ("100,000 ${a} in one string", HttpMethod.Post, "/v1/pipelines", Json(new { pipeline = "echo \"" + Repeat("${a}", 100_000) + "\"" }), json, invalid);
        yield return ("a rule nested 40,000 ( deep", HttpMethod.Post, "/v1/rules",
            Json(new { rule = "when command is operable:echo with " + Repeat("(", 40_000) + "arg[0] == 'a'" + Repeat(")", 40_000) + " must have operable:manage_users" }), json, invalid);
        yield return ("a JSON body nested 100,000 [ deep", HttpMethod.Post, "/v1/pipelines", Encoding.UTF8.GetBytes(Repeat("[", 100_000) + Repeat("]", 100_000)), json, malformed);
        yield return ("invalid UTF-8 in a JSON string", HttpMethod.Post, "/v1/pipelines", [.. "{\"pipeline\":\"echo "u8, 0xC3, 0x28, 0xFF, .. "\"}"u8], json, malformed);
        yield return ("invalid UTF-8 in a form body", HttpMethod.Post, "/v1/token", [.. "username=admin&password="u8, 0xFE, 0xFF, 0x80], "application/x-www-form-urlencoded", malformed);
        yield return ("a 900 KB group name", HttpMethod.Post, "/v1/groups", Json(new { group = new { name = new string('g', 900 * 1024) } }), json, invalid);
        yield return ("a relay named \"\\u0000\"", HttpMethod.Post, "/v1/relays", Json(new { relay = new { name = "\u0000" } }), json, invalid);
        yield return ("duplicate JSON keys", HttpMethod.Post, "/v1/pipelines", "{\"pipeline\":\"echo a\",\"pipeline\":\"echo b\"}"u8.ToArray(), json, malformed);
        yield return ("a bundle whose manifest has the YAML tag !!str[", HttpMethod.Post, "/v1/bundles", Json(new
        {
            bundle = new { config = "cog_bundle_version: 6\nname: !!str[ tagged\ndescription: A tag that is not a URI\nversion: \"1.0.0\"\ncommands:\n  run:\n    executable: /bin/true\n" },
        }), json, invalid);
        yield return ("a bundle whose rule nests 20,000 deep", HttpMethod.Post, "/v1/bundles", Json(new
        {
            bundle = new
            {
                config = "cog_bundle_version: 6\nname: deep\ndescription: A rule nested too deep\nversion: \"1.0.0\"\ncommands:\n  run:\n    executable: /bin/true\n    rules:\n"
                    + "      - \"when command is deep:run with " + Repeat("(", 20_000) + "arg[0] == 'a'" + Repeat(")", 20_000) + " allow\"\n",
            },
        }), json, invalid);
    }

    async Task<(HttpStatusCode Status, string Body, TimeSpan Elapsed)> SendAsync(HttpMethod method, string path, byte[] body, string contentType)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        request.Headers.Authorization = new AuthenticationHeaderValue("token", World.AdminToken);
        var watch = Stopwatch.StartNew();
        using var answer = await World.Http.SendAsync(request, Token);
        var text = await answer.Content.ReadAsStringAsync(Token);
        return (answer.StatusCode, text, watch.Elapsed);
    }

    async Task ServerStillAnswersAsync()
    {
        var (status, body) = await World.SendAsync(HttpMethod.Post, "/v1/pipelines", new { pipeline = "echo still here" });
        Assert.True(status == HttpStatusCode.OK && body.GetProperty("pipeline").GetProperty("status").GetString() == "succeeded", $"{(int)status} {body}");
    }

    [Fact]
    public async Task Oversized_and_deeply_nested_inputs_are_answered_4xx_quickly_and_leave_memory_at_its_baseline()
    {
        var output = TestContext.Current.TestOutputHelper!;
        var attacks = Attacks().ToList();
        // Warm-up: every route once with a well-formed request, so the baseline includes what serving them allocates
        // for good (JIT, caches, connection pools).
        for (var i = 0; i < 20; i++)
            await ServerStillAnswersAsync();
        await Task.Delay(TimeSpan.FromSeconds(2), Token);
        var baseline = World.Server.ResidentBytes();

        // Three rounds, so memory kept per attack would add up past the margin.
        for (var round = 1; round <= 3; round++)
        {
            foreach (var (name, method, path, body, contentType, refusal) in attacks)
            {
                var (status, text, elapsed) = await SendAsync(method, path, body, contentType);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {round}: {name}: {(int)status} in {elapsed.TotalMilliseconds:F0} ms: {text[..Math.Min(text.Length, 200)]}"));
                Assert.True(status == refusal, $"{name}: {(int)status} {text[..Math.Min(text.Length, 2000)]}");
                Assert.True(elapsed < HangGuard, $"{name}: no answer within {HangGuard}");
                await ServerStillAnswersAsync();
            }
        }

        await Task.Delay(TimeSpan.FromSeconds(5), Token);
        var after = World.Server.ResidentBytes();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"resident memory: {baseline / 1024 / 1024} MB after warm-up, {after / 1024 / 1024} MB after the attacks"));
        Assert.True(after - baseline < MemoryMarginBytes,
            $"resident memory grew from {baseline / 1024 / 1024} MB to {after / 1024 / 1024} MB over the attacks");
        Assert.Equal(HttpStatusCode.OK, (await World.SendAsync(HttpMethod.Get, "/health/ready", null)).Status);
    }
}
