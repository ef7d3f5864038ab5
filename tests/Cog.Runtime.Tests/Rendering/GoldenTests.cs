using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Cog.Language.Text;
using Cog.Language.Values;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Rendering;
using Cog.Runtime.Templates;
using Cog.Runtime.Tests.Templates;

namespace Cog.Runtime.Tests.Rendering;

/// <summary>Replies rendered for each provider, compared with files under <c>Golden/&lt;case&gt;/</c>: the command's
/// template (<c>template.liquid</c> or <c>template.greenbar</c>, optional), its output (<c>results.json</c>), how the
/// pipeline ended (<c>case.json</c>, optional) and the expected plain text and HTML (<c>expected.txt</c>,
/// <c>expected.html</c>). With <c>COG_UPDATE_GOLDEN=1</c> the expected files are rewritten instead.</summary>
public class GoldenTests
{
    static readonly DateTimeOffset Started = new(2026, 3, 14, 9, 26, 53, TimeSpan.Zero);

    public static TheoryData<string> Cases()
    {
        var cases = new TheoryData<string>();
        foreach (var directory in Directory.GetDirectories(GoldenRoot()).Order(StringComparer.Ordinal))
            cases.Add(Path.GetFileName(directory));
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Reply_matches_the_golden_files(string name)
    {
        var folder = Path.Combine(GoldenRoot(), name);
        var document = await ComposeAsync(folder);
        var failures = new StringBuilder();
        Check(folder, "expected.txt", PlainTextFormatter.Format(document) + "\n", failures);
        Check(folder, "expected.html", HtmlFormatter.Format(document) + "\n", failures);
        Assert.True(failures.Length == 0, failures.ToString());
    }

    static async Task<ReplyDocument> ComposeAsync(string folder)
    {
        var source = new InMemoryTemplateSource();
        using var spec = JsonDocument.Parse(File.Exists(Path.Combine(folder, "case.json")) ? File.ReadAllText(Path.Combine(folder, "case.json")) : "{}");
        var root = spec.RootElement;
        string? Field(string field) => root.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        var templateName = Field("template");
        foreach (var (file, dialect) in new[] { ("template.liquid", TemplateDialect.Liquid), ("template.greenbar", TemplateDialect.Greenbar) })
        {
            var path = Path.Combine(folder, file);
            if (File.Exists(path))
                source.Add("golden", "1.0.0", dialect, (templateName ?? "cmd", File.ReadAllText(path)));
        }
        var items = File.Exists(Path.Combine(folder, "results.json"))
            ? ((ListValue)Value.FromJson(JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "results.json"))).RootElement)).Items
            : ImmutableArray<Value>.Empty;
        var status = Enum.Parse<PipelineStatus>(Field("status") ?? "Succeeded", ignoreCase: true);
        SourcePosition? position = root.TryGetProperty("column", out var column) ? new SourcePosition(column.GetInt32() - 1, 1, column.GetInt32()) : null;
        var outcome = new PipelineOutcome("4f1c2a7e-0d5b-4b8e-9a61-3c2d1e0f9a8b", status, items, templateName, Field("message"), position, Field("failed"), null)
        {
            TemplateSource = new TemplateSource("golden", "1.0.0", "cmd"),
        };
        var composer = new TemplateReplyComposer(source, new TemplateEngine(null, TimeProvider.System));
        return await composer.ComposeAsync(outcome, new ReplyContext(Field("pipeline") ?? "golden:cmd", "@alice", Started), TestContext.Current.CancellationToken);
    }

    static void Check(string folder, string file, string actual, StringBuilder failures)
    {
        var path = Path.Combine(folder, file);
        if (Environment.GetEnvironmentVariable("COG_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, actual);
            return;
        }
        var expected = File.Exists(path) ? File.ReadAllText(path) : "";
        if (expected != actual)
            failures.Append(file).Append(" differs (COG_UPDATE_GOLDEN=1 rewrites it):\n").Append(Diff(expected, actual)).Append('\n');
    }

    /// <summary>The lines that differ, with their numbers: <c>-</c> expected, <c>+</c> actual.</summary>
    internal static string Diff(string expected, string actual)
    {
        var want = expected.Split('\n');
        var got = actual.Split('\n');
        var diff = new StringBuilder();
        for (var i = 0; i < Math.Max(want.Length, got.Length); i++)
        {
            var a = i < want.Length ? want[i] : null;
            var b = i < got.Length ? got[i] : null;
            if (a == b)
                continue;
            if (a is not null)
                diff.Append($"{i + 1,4} - {a}\n");
            if (b is not null)
                diff.Append($"{i + 1,4} + {b}\n");
        }
        return diff.ToString();
    }

    static string GoldenRoot([CallerFilePath] string here = "") => Path.Combine(Path.GetDirectoryName(here)!, "Golden");
}
