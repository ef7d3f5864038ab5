using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Cog.Runtime.Chat;
using Cog.Runtime.Rendering;
using Cog.Web.Chat;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cog.Web.Tests.Browser;

/// <summary>The console end to end: a person in Chromium against the whole server.</summary>
public partial class ConsoleBrowserTests(ConsoleWorld world)
{
    static ILocator CogMessages(IPage page) => page.Locator("ol.messages li.from-cog");

    static async Task SayAsync(IPage page, string text)
    {
        // A person types once the chat is ready (the Send button is enabled then); before that the
        // console refuses the message visibly (A_message_typed_before_the_chat_is_ready_...).
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Send" })).ToBeEnabledAsync();
        var input = page.GetByLabel("Message", new() { Exact = true });
        await input.FillAsync(text);
        await input.PressAsync("Enter");
    }

    [Fact]
    public async Task The_administrator_signs_in_and_sees_the_answer_of_a_pipeline()
    {
        var (context, page, problems) = await world.NewPageAsync();
        await using var _ = context;

        await world.SignInAsync(page, world.AdminUsername, world.AdminPassword);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Cog (direct)" })).ToBeVisibleAsync();
        var before = await CogMessages(page).CountAsync();
        await SayAsync(page, "!echo hello | echo $body[0]");

        await Expect(CogMessages(page)).ToHaveCountAsync(before + 1);
        await Expect(CogMessages(page).Last.Locator(".message-body")).ToHaveTextAsync("hello");
        await Expect(page.Locator("ol.messages li:not(.from-cog)").Last).ToContainTextAsync("!echo hello | echo $body[0]");
        Assert.Empty(problems);
    }

    [Fact]
    public async Task A_message_typed_before_the_chat_is_ready_is_refused_visibly_and_kept()
    {
        var (context, page, problems) = await world.NewPageAsync();
        await using var _ = context;
        // The chat socket opens but the server never answers: the console stays "connecting".
        await page.RouteWebSocketAsync(new Regex("/chat"), _ => { });
        await world.SignInAsync(page, world.AdminUsername, world.AdminPassword);

        var input = page.GetByLabel("Message", new() { Exact = true });
        await input.FillAsync("echo too early");
        await input.PressAsync("Enter");

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Still connecting: the message was not sent.");
        await Expect(input).ToHaveValueAsync("echo too early");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Send" })).ToBeDisabledAsync();
        Assert.Empty(problems);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_with_the_servers_message()
    {
        var (context, page, problems) = await world.NewPageAsync();
        await using var _ = context;
        await page.GotoAsync(world.Url.ToString());

        await page.GetByLabel("Username").FillAsync(world.AdminUsername);
        await page.GetByLabel("Password").FillAsync("not the password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Invalid credentials");
        await Expect(page.GetByLabel("Password")).ToBeFocusedAsync();
        Assert.Empty(problems);
    }

    [Fact]
    public async Task Arrow_up_recalls_what_was_sent_and_a_shared_room_needs_the_prefix()
    {
        var (context, page, problems) = await world.NewPageAsync();
        await using var _ = context;
        await world.SignInAsync(page, world.AdminUsername, world.AdminPassword);
        var marker = world.NewName("shared-");

        await page.GetByRole(AriaRole.Button, new() { Name = "#general" }).ClickAsync();
        await SayAsync(page, $"just talking {marker}");
        await SayAsync(page, $"!echo {marker}");

        await Expect(CogMessages(page).Filter(new() { HasText = marker })).ToHaveCountAsync(1);
        var input = page.GetByLabel("Message", new() { Exact = true });
        await input.PressAsync("ArrowUp");
        await Expect(input).ToHaveValueAsync($"!echo {marker}");
        await input.PressAsync("ArrowUp");
        await Expect(input).ToHaveValueAsync($"just talking {marker}");
        Assert.Empty(problems);
    }

    [Fact]
    public async Task A_command_whose_template_makes_a_table_is_answered_with_an_html_table()
    {
        var (context, page, problems) = await world.NewPageAsync();
        await using var _ = context;
        await world.SignInAsync(page, world.AdminUsername, world.AdminPassword);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Send" })).ToBeEnabledAsync();
        var before = await CogMessages(page).CountAsync();

        await SayAsync(page, "!bundle list");

        await Expect(CogMessages(page)).ToHaveCountAsync(before + 1);
        var table = CogMessages(page).Last.Locator("table");
        await Expect(table.Locator("thead th")).ToHaveTextAsync(["Bundle", "Enabled", "Installed versions"]);
        await Expect(table.Locator("tbody tr").Filter(new() { HasText = "operable" })).ToHaveCountAsync(1);
        Assert.Empty(problems);
    }

    [Fact]
    public async Task A_table_in_a_reply_is_shown_as_an_html_table()
    {
        var (context, page, problems) = await world.NewPageAsync();
        await using var _ = context;
        await world.SignInAsync(page, world.AdminUsername, world.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "#general" }).ClickAsync();
        var provider = world.Server.Services.GetRequiredService<WebChatProvider>();
        ImmutableArray<ReplyInline> Cell(string text) => [new TextInline(text)];
        var table = new TableBlock([Cell("Relay"), Cell("Load")],
            [[Cell("prod-1"), Cell("3")], [Cell("prod-2"), Cell("0")]], [ColumnAlignment.Left, ColumnAlignment.Right]);

        await provider.SendAsync(new ChatRoom("general", "general", false),
            new ChatReply(new ReplyDocument(ReplyKind.Output, [table])), TestContext.Current.CancellationToken);

        var rendered = CogMessages(page).Last.Locator("table");
        await Expect(rendered.Locator("th")).ToHaveTextAsync(["Relay", "Load"]);
        await Expect(rendered.Locator("tbody tr")).ToHaveCountAsync(2);
        await Expect(rendered.Locator("tbody tr").Nth(0).Locator("td")).ToHaveTextAsync(["prod-1", "3"]);
        Assert.Empty(problems);
    }

    [Fact]
    public async Task The_audit_view_follows_the_log_live_and_verifies_the_chain()
    {
        var (context, page, problems) = await world.NewPageAsync();
        await using var _ = context;
        await world.SignInAsync(page, world.AdminUsername, world.AdminPassword);
        var marker = world.NewName("audited-");

        await page.GetByRole(AriaRole.Link, new() { Name = "Audit" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Audit log", Level = 1 })).ToBeFocusedAsync();
        await page.GetByLabel("Follow live").CheckAsync();
        await world.SendAsync(HttpMethod.Post, "/v1/pipelines", new { pipeline = $"echo {marker}" }, world.AdminToken);

        var rows = page.Locator("table.audit tbody tr").Filter(new() { HasText = marker });
        await Expect(rows.Filter(new() { HasText = "pipeline.started" })).ToHaveCountAsync(1);
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify the chain" }).ClickAsync();
        await Expect(page.Locator(".verification")).ToContainTextAsync("The chain is intact");
        Assert.Empty(problems);
    }

    [Fact]
    public async Task A_person_without_permissions_is_denied_in_chat_and_in_the_operator_views()
    {
        var username = world.NewName("visitor");
        var password = await world.CreateUserAsync(username);
        var (context, page, problems) = await world.NewPageAsync();
        await using var _ = context;
        await world.SignInAsync(page, username, password);

        await SayAsync(page, "bundle list");
        await Expect(CogMessages(page).Last).ToHaveClassAsync(new Regex("kind-error"));
        await Expect(CogMessages(page).Last).ToContainTextAsync("operable:manage_commands");

        // Their tabs do not offer the operator views; opened by address, each says which permission it needs.
        await page.EvaluateAsync("() => { window.location.hash = '#/audit'; }");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("operable:view_audit");
        await page.EvaluateAsync("() => { window.location.hash = '#/relays'; }");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("You do not have the permission this view needs (operable:manage_relays)");
        Assert.Empty(problems);
    }

    [Fact]
    public async Task The_explain_view_says_which_rule_decides_for_another_user()
    {
        var username = world.NewName("explained");
        await world.CreateUserAsync(username);
        var (context, page, problems) = await world.NewPageAsync();
        await using var _ = context;
        await world.SignInAsync(page, world.AdminUsername, world.AdminPassword);

        await page.GetByRole(AriaRole.Link, new() { Name = "Explain" }).ClickAsync();
        await page.GetByLabel("User (empty: you)").FillAsync(username);
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Pipeline" }).FillAsync("echo hi | bundle list");
        await page.GetByRole(AriaRole.Button, new() { Name = "Explain" }).ClickAsync();

        await Expect(page.Locator(".decision")).ToContainTextAsync($"Denied for {username}");
        var stages = page.Locator(".explanation table tbody tr");
        await Expect(stages).ToHaveCountAsync(2);
        await Expect(stages.Nth(0)).ToContainTextAsync("Allowed");
        await Expect(stages.Nth(1)).ToContainTextAsync("must have operable:manage_commands");
        await Expect(page.Locator(".explanation .advice")).ToContainTextAsync(
            $"{username} lacks operable:manage_commands. To allow it, an administrator grants it to a role and that role to one of {username}'s groups: cogctl role grant ROLE operable:manage_commands");
        Assert.Empty(problems);
    }

    [Fact]
    public async Task The_operator_views_list_relays_bundles_and_people()
    {
        var (context, page, problems) = await world.NewPageAsync();
        await using var _ = context;
        await world.SignInAsync(page, world.AdminUsername, world.AdminPassword);

        await page.GetByRole(AriaRole.Link, new() { Name = "Bundles" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Bundles" }).Locator("tbody tr").Filter(new() { HasText = "operable" })).ToContainTextAsync("(enabled)");
        await page.GetByRole(AriaRole.Link, new() { Name = "People" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Groups" })).ToContainTextAsync("cog-admin");
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Users" })).ToContainTextAsync(world.AdminUsername);
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Roles" })).ToContainTextAsync("operable:manage_users");
        await page.GetByRole(AriaRole.Link, new() { Name = "Relays" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Relay groups" })).ToBeVisibleAsync();
        Assert.Empty(problems);
    }

    [Fact]
    public async Task The_relays_view_shows_a_relays_problems_and_does_not_list_what_it_does_not_serve_as_served()
    {
        var (context, page, problems) = await world.NewPageAsync();
        await using var _ = context;
        await world.SignInAsync(page, world.AdminUsername, world.AdminPassword);
        var ct = TestContext.Current.CancellationToken;
        var relays = world.Server.Store.Relays;
        var relay = (await relays.CreateAsync(new Runtime.Relays.RelayRecord("stray-relay", "stray-relay", Runtime.Relays.RelayToken.Hash("t"), null, true,
            world.Server.Time.GetUtcNow()), ct)).GetValueOrThrow();
        world.Server.Directory.RelaysChanged();
        var live = world.Server.Dispatcher.Registry;
        live.ApplyStatus(relay.Id, new Contracts.Relays.RelayStatus(relay.Id, "i-1", Contracts.Relays.RelayState.Online, "1.0.0", [], 4, 0));
        live.ApplyAnnouncement(relay.Id, new Contracts.Relays.BundleAnnouncement(relay.Id, "i-1", 1,
            [new Contracts.Relays.AnnouncedBundle("greeter", "0.1.0", "sha256:" + new string('a', 64))], []));
        try
        {
            await page.GetByRole(AriaRole.Link, new() { Name = "Relays" }).ClickAsync();

            var row = page.GetByRole(AriaRole.Table, new() { Name = "Relays" }).Locator("tbody tr").Filter(new() { HasText = "stray-relay" });
            await Expect(row.Locator("td").Nth(5)).ToHaveTextAsync("—");
            await Expect(row.Locator("td").Nth(6)).ToHaveTextAsync(
                "not_assigned greeter 0.1.0: the relay announces it, but it is not assigned to the relay (none of its relay groups has the bundle, "
                + "or the bundle is disabled); nothing is routed to it");
            Assert.Empty(problems);
        }
        finally
        {
            await relays.DeleteAsync(relay.Id, ct);
            world.Server.Directory.RelaysChanged();
        }
    }

    [Fact]
    public async Task The_bundles_view_lists_stored_objects_the_server_skipped()
    {
        var (context, page, problems) = await world.NewPageAsync();
        await using var _ = context;
        await world.SignInAsync(page, world.AdminUsername, world.AdminPassword);
        var store = world.Server.Store;
        var command = (await store.Bundles.FindCommandAsync("operable", "sleep", TestContext.Current.CancellationToken))!;
        var rule = (await store.Rules.IngestSiteRuleAsync(command.Id, "when command is operable:sleep with arg[0] == /(a)\\1/ allow", TestContext.Current.CancellationToken)).GetValueOrThrow();
        world.Server.Directory.CatalogChanged();
        try
        {
            await page.GetByRole(AriaRole.Link, new() { Name = "Bundles" }).ClickAsync();

            var notice = page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Stored objects that could not be loaded" });
            await Expect(notice).ToContainTextAsync($"rule {rule.Id}");
            await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Bundles" }).Locator("tbody tr").Filter(new() { HasText = "operable" })).ToContainTextAsync("(enabled)");
            Assert.Empty(problems);
        }
        finally
        {
            await store.Rules.DeleteAsync(rule.Id, TestContext.Current.CancellationToken);
            world.Server.Directory.CatalogChanged();
        }
    }

    [Fact]
    public async Task On_a_phone_sized_screen_the_chat_fits_and_works()
    {
        var (context, page, problems) = await world.NewPageAsync(375, 740);
        await using var _ = context;
        await world.SignInAsync(page, world.AdminUsername, world.AdminPassword);

        await SayAsync(page, "echo small screen");

        await Expect(CogMessages(page).Last).ToContainTextAsync("small screen");
        var overflow = await page.EvaluateAsync<string>(
            "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).map(e => e.tagName + '.' + e.className).join(', ')");
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "The page scrolls sideways: " + overflow);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Explain" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Send" })).ToBeInViewportAsync();
        Assert.Empty(problems);
    }
}
