using System.Net;
using Cog.Integration.Tests.Faults;
using Cog.Integration.Tests.Support;
using Cog.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cog.Integration.Tests.Failover;

/// <summary>Two servers behind HAProxy, as people and tools meet them: a person chats in the web console (Debian's
/// Chromium, driven by Playwright) through the balancer, and the server holding their chat socket is killed. The API and
/// cogctl keep answering through the balancer, the console reconnects to the survivor by itself, and the person's next
/// pipeline is answered there.</summary>
[Trait("Category", "Failover")]
[Collection(FailoverCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class LoadBalancerTests() : FaultScenario(servers: 2)
{
    const string ChromiumPath = "/usr/bin/chromium";
    const string ChatSocket = "GET /console/chat";

    [Fact]
    public async Task The_API_cogctl_and_the_web_console_keep_working_through_HAProxy_when_the_server_holding_the_chat_is_killed()
    {
        Assert.True(File.Exists(ChromiumPath), $"The browser test needs Debian's Chromium at {ChromiumPath}: run ./build.sh test (it installs it).");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });
        await using var context = await browser.NewContextAsync();
        context.SetDefaultTimeout(30_000);
        SetDefaultExpectTimeout(30_000);
        var page = await context.NewPageAsync();

        await page.GotoAsync(World.Http.BaseAddress!.ToString());
        await page.GetByLabel("Username").FillAsync(World.AdminUsername);
        await page.GetByLabel("Password").FillAsync(World.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await SayAndExpectAsync(page, "echo before-the-kill", "before-the-kill");
        var holder = World.LoadBalancer.LatestServerOf(ChatSocket);
        Assert.True(holder is not null, $"HAProxy logged no chat socket:\n{World.Consoles()}");

        await World.Servers[holder == HaproxyProcess.ServerName(0) ? 0 : 1].KillAsync();

        // The API and cogctl, through the balancer, on the survivor.
        for (var i = 0; i < 4; i++)
        {
            var (status, body) = await World.SendAsync(HttpMethod.Post, "/v1/pipelines", new { pipeline = $"echo api-{i}" });
            Assert.True(status == HttpStatusCode.OK && body.GetProperty("pipeline").GetProperty("status").GetString() == "succeeded",
                $"POST /v1/pipelines through HAProxy after the kill: {(int)status} {body}");
        }
        var run = await World.CogctlAsync("pipeline", "run", "echo via-cogctl");
        Assert.Contains("via-cogctl", run.Output, StringComparison.Ordinal);
        await World.CogctlAsync("audit", "verify");

        // The console reconnects by itself, through the balancer, to the survivor, and the next pipeline is answered.
        await Eventually.TrueAsync(() => World.LoadBalancer.LatestServerOf(ChatSocket) is { } now && now != holder,
            "the console to open its chat socket on the survivor", TimeSpan.FromSeconds(30));
        await SayAndExpectAsync(page, "echo after-the-kill", "after-the-kill");
    }

    /// <summary>Types <paramref name="text"/> in the direct room once the chat is ready and waits for Cog's answer.</summary>
    static async Task SayAndExpectAsync(IPage page, string text, string answer)
    {
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Send" })).ToBeEnabledAsync();
        var input = page.GetByLabel("Message", new() { Exact = true });
        await input.FillAsync(text);
        await input.PressAsync("Enter");
        await Expect(page.Locator("ol.messages li.from-cog").Last.Locator(".message-body")).ToHaveTextAsync(answer);
    }
}
