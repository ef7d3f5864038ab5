using System.Collections.Immutable;
using System.Net;
using Cog.Runtime.Chat;
using Cog.Runtime.Rendering;
using Cog.Web.Chat;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cog.Web.Tests.Browser;

/// <summary>What a new user met on their first day: the header when signed out, a wide reply on a phone, tabs they
/// could never use, explain for a mistyped user, the audit log's order and paging.</summary>
public partial class ConsoleBrowserTests
{
    static readonly string[] AllTabs = ["Chat", "Audit", "Relays", "Bundles", "People", "Explain"];

    [Fact]
    public async Task The_sign_in_page_shows_no_sign_out_button_and_no_tabs()
    {
        var (context, page, problems) = await world.NewPageAsync();
        await using var _ = context;
        await page.GotoAsync(world.Url.ToString());

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to Cog" })).ToBeVisibleAsync();
        await Expect(page.Locator("#sign-out")).ToBeHiddenAsync();
        await Expect(page.Locator("#views-nav")).ToBeHiddenAsync();
        Assert.Empty(problems);
    }

    [Fact]
    public async Task On_a_phone_a_wide_reply_scrolls_inside_itself_and_send_stays_on_screen()
    {
        var (context, page, problems) = await world.NewPageAsync(375, 740);
        await using var _ = context;
        await world.SignInAsync(page, world.AdminUsername, world.AdminPassword);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Send" })).ToBeEnabledAsync();
        var provider = world.Server.Services.GetRequiredService<WebChatProvider>();
        ImmutableArray<ReplyInline> Cell(string text) => [new TextInline(text)];
        var headers = Enumerable.Range(1, 8).Select(i => Cell($"column-{i}")).ToImmutableArray();
        var row = Enumerable.Range(1, 8).Select(i => Cell($"a-long-value-{i}")).ToImmutableArray();
        var table = new TableBlock(headers, [row], [.. Enumerable.Repeat(ColumnAlignment.Left, 8)]);
        // A table as a command's template often prints it: aligned columns in a code block, one long line each.
        var columns = new CodeBlock(null, "NAME       STATUS    STATE    ID                                    GROUPS\n"
            + "edge-prod  enabled   online   6f1c0e1e-0000-4000-8000-000000000001  prod, eu-west, eu-central");
        var direct = new ChatRoom("dm:" + world.AdminUsername, ChatRoom.DirectName, IsDirect: true);

        await provider.SendAsync(direct, new ChatReply(new ReplyDocument(ReplyKind.Output, [table, columns])), TestContext.Current.CancellationToken);

        var reply = CogMessages(page).Last;
        await Expect(reply.Locator("th")).ToHaveCountAsync(8);
        await Expect(reply.Locator("pre")).ToContainTextAsync("edge-prod");
        var overflow = await page.EvaluateAsync<string>(
            "[...document.querySelectorAll('body *')].filter(e => !e.closest('pre, .cog-table-wrap') && e.getBoundingClientRect().right > window.innerWidth + 1).map(e => e.tagName + '.' + e.className).join(', ')");
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "The page scrolls sideways: " + overflow);
        Assert.Equal("", overflow);
        Assert.True(await reply.Locator("pre").EvaluateAsync<bool>("e => e.scrollWidth > e.clientWidth"), "The long lines should scroll inside their own frame.");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Send" })).ToBeInViewportAsync();
        Assert.Empty(problems);
    }

    [Fact]
    public async Task Tabs_are_shown_by_the_permissions_a_person_holds()
    {
        var visitor = world.NewName("tabless");
        var visitorPassword = await world.CreateUserAsync(visitor);
        var auditor = world.NewName("auditor");
        var auditorPassword = await world.CreateUserAsync(auditor);
        await GrantAsync(auditor, "operable:view_audit");

        Assert.Equal(AllTabs, await TabsAsync(world.AdminUsername, world.AdminPassword));
        Assert.Equal(["Chat", "Explain"], await TabsAsync(visitor, visitorPassword));
        Assert.Equal(["Chat", "Audit", "Explain"], await TabsAsync(auditor, auditorPassword));
    }

    [Fact]
    public async Task Explaining_for_an_unknown_user_says_so_in_a_sentence()
    {
        var (context, page, problems) = await world.NewPageAsync();
        await using var _ = context;
        await world.SignInAsync(page, world.AdminUsername, world.AdminPassword);

        await page.GetByRole(AriaRole.Link, new() { Name = "Explain" }).ClickAsync();
        await page.GetByLabel("User (empty: you)").FillAsync("nobody-by-that-name");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Pipeline" }).FillAsync("echo hi");
        await page.GetByRole(AriaRole.Button, new() { Name = "Explain" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync(
            "No user is named nobody-by-that-name: give the username of an existing Cog user (cogctl user list shows them)");
        // The browser reports the 422 itself; nothing else may go wrong.
        Assert.All(problems, p => Assert.Contains("status of 422", p, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_audit_view_lists_the_newest_records_first_and_pages_to_older_ones()
    {
        // More pipelines than one page holds, so there is an older page.
        var marker = world.NewName("paged-");
        for (var batch = 0; batch < 11; batch++)
        {
            await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
                world.SendAsync(HttpMethod.Post, "/v1/pipelines", new { pipeline = $"echo {marker}-{batch}-{i}" }, world.AdminToken)));
        }
        var (context, page, problems) = await world.NewPageAsync();
        await using var _ = context;
        await world.SignInAsync(page, world.AdminUsername, world.AdminPassword);

        await page.GetByRole(AriaRole.Link, new() { Name = "Audit" }).ClickAsync();
        await page.GetByLabel("Kind").SelectOptionAsync("pipeline.started");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        var rows = page.Locator("table.audit tbody tr");
        await Expect(rows).ToHaveCountAsync(100);
        await page.GetByRole(AriaRole.Button, new() { Name = "Older records" }).ClickAsync();
        await Expect(rows.Nth(100)).ToBeVisibleAsync();

        var sequences = (await rows.Locator("td:first-child").AllTextContentsAsync()).Select(long.Parse).ToList();
        Assert.True(sequences.Count > 100);
        Assert.Equal(sequences.OrderDescending(), sequences);
        Assert.Empty(problems);
    }

    async Task<string[]> TabsAsync(string username, string password)
    {
        var (context, page, problems) = await world.NewPageAsync();
        await using var _ = context;
        await world.SignInAsync(page, username, password);
        await Expect(page.Locator("#views-nav")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Chat" })).ToBeVisibleAsync();
        var tabs = new List<string>();
        foreach (var tab in AllTabs)
        {
            if (await page.Locator("#views-nav").GetByRole(AriaRole.Link, new() { Name = tab, Exact = true }).IsVisibleAsync())
                tabs.Add(tab);
        }
        Assert.Empty(problems);
        return [.. tabs];
    }

    /// <summary>Gives <paramref name="username"/> one permission through a group and a role of their own.</summary>
    async Task GrantAsync(string username, string permission)
    {
        var name = world.NewName("grant-");
        async Task Send(HttpMethod method, string path, object body, HttpStatusCode expected)
        {
            var (status, answer) = await world.SendAsync(method, path, body, world.AdminToken);
            Assert.True(status == expected, $"{path}: {status} {answer}");
        }
        await Send(HttpMethod.Post, "/v1/roles", new { role = new { name } }, HttpStatusCode.Created);
        await Send(HttpMethod.Post, "/v1/groups", new { group = new { name } }, HttpStatusCode.Created);
        var roleId = await world.IdAsync("roles", name);
        var groupId = await world.IdAsync("groups", name);
        await Send(HttpMethod.Post, $"/v1/roles/{roleId}/permissions", new { permissions = new { grant = new[] { permission } } }, HttpStatusCode.OK);
        await Send(HttpMethod.Post, $"/v1/groups/{groupId}/roles", new { roles = new { grant = new[] { name } } }, HttpStatusCode.OK);
        await Send(HttpMethod.Post, $"/v1/groups/{groupId}/users", new { users = new { add = new[] { username } } }, HttpStatusCode.OK);
    }
}
