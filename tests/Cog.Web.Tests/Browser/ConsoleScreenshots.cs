using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cog.Web.Tests.Browser;

/// <summary>The console's pictures (chat, audit, relays, explain; desktop and phone). Every run takes them into a
/// temporary folder; <c>./build.sh screenshots</c> sets <c>COG_SCREENSHOTS</c> to <c>docs/images</c> so they land in the
/// README.</summary>
public class ConsoleScreenshots(ConsoleWorld world)
{
    static readonly (string Name, int Width, int Height)[] Screens = [("desktop", 1280, 800), ("phone", 375, 740)];

    [Fact]
    public async Task The_chat_audit_relays_and_explain_views_are_photographed_on_desktop_and_phone()
    {
        var folder = Environment.GetEnvironmentVariable("COG_SCREENSHOTS") is { Length: > 0 } target
            ? Directory.CreateDirectory(target).FullName
            : Directory.CreateTempSubdirectory("cog-screens-").FullName;
        // Its own administrator: the other browser tests talk in the first-start administrator's direct room meanwhile,
        // and this test counts Cog's answers in the room it shows.
        var username = world.NewName("photographer");
        var password = await world.CreateAdministratorAsync(username);
        foreach (var (screen, width, height) in Screens)
        {
            var (context, page, problems) = await world.NewPageAsync(width, height);
            await using var _ = context;
            await world.SignInAsync(page, username, password);
            var input = page.GetByLabel("Message", new() { Exact = true });
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Send" })).ToBeEnabledAsync();
            foreach (var text in (string[])["echo hello | echo $body[0]", "bundle list", "bundle info nosuch"])
            {
                var count = await page.Locator("ol.messages li.from-cog").CountAsync();
                await input.FillAsync(text);
                await input.PressAsync("Enter");
                await Expect(page.Locator("ol.messages li.from-cog")).ToHaveCountAsync(count + 1);
            }
            await ShootAsync(page, folder, $"console-chat-{screen}.png");

            await page.GetByRole(AriaRole.Link, new() { Name = "Audit" }).ClickAsync();
            await Expect(page.Locator("table.audit tbody tr").First).ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Verify the chain" }).ClickAsync();
            await Expect(page.Locator(".verification .notice")).ToBeVisibleAsync();
            await ShootAsync(page, folder, $"console-audit-{screen}.png");

            await page.GetByRole(AriaRole.Link, new() { Name = "Relays" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Relay groups" })).ToBeVisibleAsync();
            await ShootAsync(page, folder, $"console-relays-{screen}.png");

            await page.GetByRole(AriaRole.Link, new() { Name = "Explain" }).ClickAsync();
            await page.GetByRole(AriaRole.Textbox, new() { Name = "Pipeline" }).FillAsync("echo hi | bundle list");
            await page.GetByRole(AriaRole.Button, new() { Name = "Explain" }).ClickAsync();
            await Expect(page.Locator(".explanation table")).ToBeVisibleAsync();
            await ShootAsync(page, folder, $"console-explain-{screen}.png");
            Assert.Empty(problems);
        }
    }

    static async Task ShootAsync(IPage page, string folder, string name)
    {
        var path = Path.Combine(folder, name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = false });
        var bytes = await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);
        Assert.True(bytes.Length > 1000 && bytes[1] == (byte)'P' && bytes[2] == (byte)'N' && bytes[3] == (byte)'G', $"{name} is not a PNG.");
    }
}
