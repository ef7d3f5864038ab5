using System.Text;
using Cog.Runtime.Rendering;
using Cog.Testing.Rendering;

namespace Cog.Runtime.Tests.Rendering;

/// <summary>The golden reply cases (<see cref="GoldenReplies"/>: <c>tests/fixtures/replies</c>, and published Cog 1.0
/// bundles' templates in <c>tests/fixtures/cog1-templates</c>) rendered as plain text and HTML; their Slack rendering is
/// checked next to the Slack renderer (<c>Cog.Runtime.Slack.Tests</c>).</summary>
public class GoldenTests
{
    public static TheoryData<string> Cases() => GoldenReplies.Cases(GoldenReplies.Root);

    public static TheoryData<string> Cog1Cases() => GoldenReplies.Cases(GoldenReplies.Cog1Root);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Reply_matches_the_golden_files(string name) => CheckAsync(GoldenReplies.Root, name);

    [Theory]
    [MemberData(nameof(Cog1Cases))]
    public Task Cog1_bundle_template_renders_as_its_golden_files(string name) => CheckAsync(GoldenReplies.Cog1Root, name);

    static async Task CheckAsync(string root, string name)
    {
        var document = await GoldenReplies.ComposeAsync(root, name, TestContext.Current.CancellationToken);
        var failures = new StringBuilder();
        GoldenReplies.Check(root, name, "expected.txt", PlainTextFormatter.Format(document) + "\n", failures);
        GoldenReplies.Check(root, name, "expected.html", HtmlFormatter.Format(document) + "\n", failures);
        Assert.True(failures.Length == 0, failures.ToString());
    }
}
