using System.Text;
using Cog.Runtime.Rendering;
using Cog.Testing.Rendering;

namespace Cog.Runtime.Tests.Rendering;

/// <summary>The golden reply cases (<see cref="GoldenReplies"/>, <c>tests/fixtures/replies</c>) rendered as plain text
/// and HTML; their Slack rendering is checked next to the Slack renderer (<c>Cog.Runtime.Slack.Tests</c>).</summary>
public class GoldenTests
{
    public static TheoryData<string> Cases() => GoldenReplies.Cases();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Reply_matches_the_golden_files(string name)
    {
        var document = await GoldenReplies.ComposeAsync(name, TestContext.Current.CancellationToken);
        var failures = new StringBuilder();
        GoldenReplies.Check(name, "expected.txt", PlainTextFormatter.Format(document) + "\n", failures);
        GoldenReplies.Check(name, "expected.html", HtmlFormatter.Format(document) + "\n", failures);
        Assert.True(failures.Length == 0, failures.ToString());
    }
}
