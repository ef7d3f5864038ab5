using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Cog.Language.Text;
using Cog.Language.Values;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Rendering;
using Cog.Runtime.Templates;

namespace Cog.Testing.Rendering;

/// <summary>
/// The golden reply cases in <c>tests/fixtures/replies/&lt;case&gt;/</c> (<see cref="Root"/>) and
/// <c>tests/fixtures/cog1-templates/&lt;case&gt;/</c> (<see cref="Cog1Root"/>: published Cog 1.0 bundles' templates): ONE
/// template and its data, composed by the real composer, and the expected rendering for every provider side by side —
/// <c>expected.txt</c> (plain text: API, cogctl), <c>expected.html</c> (web console) and <c>expected.slack.json</c>
/// (Slack messages). Each test project checks the renderings it can reach; with <c>COG_UPDATE_GOLDEN=1</c> the expected files are rewritten instead
/// (review the diff).
/// </summary>
/// <remarks>
/// A case folder holds <c>template.liquid</c> or <c>template.greenbar</c> (optional; the command's template),
/// <c>results.json</c> (the last stage's items, optional), and <c>case.json</c> (optional): <c>status</c> (a
/// <see cref="PipelineStatus"/>), <c>message</c>, <c>failed</c>, <c>column</c>, <c>template</c> (the name the output
/// gives), <c>pipeline</c> (the text the person wrote); or <c>common</c>, the name of one of Cog's common templates,
/// rendered with <c>data.json</c> (as the chat service does).
/// </remarks>
public static class GoldenReplies
{
    static readonly DateTimeOffset Started = new(2026, 3, 14, 9, 26, 53, TimeSpan.Zero);

    /// <summary>The folder holding Cog's own cases.</summary>
    public static string Root => Path.Combine(RepositoryPaths.Root, "tests", "fixtures", "replies");

    /// <summary>The folder holding the cases of published Cog 1.0 bundles' templates.</summary>
    public static string Cog1Root => Path.Combine(RepositoryPaths.Root, "tests", "fixtures", "cog1-templates");

    /// <summary>The case names in <paramref name="root"/>, sorted.</summary>
    public static TheoryData<string> Cases(string root)
    {
        var cases = new TheoryData<string>();
        foreach (var directory in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
            cases.Add(Path.GetFileName(directory));
        return cases;
    }

    /// <summary>The reply of case <paramref name="name"/> in <paramref name="root"/>, composed by the real
    /// <see cref="TemplateReplyComposer"/>.</summary>
    public static async Task<ReplyDocument> ComposeAsync(string root, string name, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(root, name);
        using var spec = JsonDocument.Parse(ReadOr(folder, "case.json", "{}"));
        var settings = spec.RootElement;
        string? Field(string field) => settings.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        var templateName = Field("template");
        var source = new Templates();
        foreach (var (file, dialect) in new[] { ("template.liquid", TemplateDialect.Liquid), ("template.greenbar", TemplateDialect.Greenbar) })
        {
            var path = Path.Combine(folder, file);
            if (File.Exists(path))
                source.Bundle = new BundleTemplates("golden", "1.0.0", dialect,
                    ImmutableDictionary<string, string>.Empty.Add(templateName ?? "cmd", await File.ReadAllTextAsync(path, cancellationToken)));
        }
        var composer = new TemplateReplyComposer(source, new TemplateEngine(null, TimeProvider.System));
        if (Field("common") is { } common)
        {
            using var data = JsonDocument.Parse(ReadOr(folder, "data.json", "{}"));
            return await composer.ComposeCommonAsync(common, Value.FromJson(data.RootElement), cancellationToken);
        }
        var items = File.Exists(Path.Combine(folder, "results.json"))
            ? ((ListValue)Value.FromJson(JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "results.json"), cancellationToken)).RootElement)).Items
            : ImmutableArray<Value>.Empty;
        var status = Enum.Parse<PipelineStatus>(Field("status") ?? "Succeeded", ignoreCase: true);
        SourcePosition? position = settings.TryGetProperty("column", out var column) ? new SourcePosition(column.GetInt32() - 1, 1, column.GetInt32()) : null;
        var outcome = new PipelineOutcome("4f1c2a7e-0d5b-4b8e-9a61-3c2d1e0f9a8b", status, items, templateName, Field("message"), position, Field("failed"), null)
        {
            TemplateSource = new TemplateSource("golden", "1.0.0", "cmd"),
        };
        return await composer.ComposeAsync(outcome, new ReplyContext(Field("pipeline") ?? "golden:cmd", "@alice", Started), cancellationToken);
    }

    /// <summary>Compares <paramref name="actual"/> with the file <paramref name="file"/> of case <paramref name="name"/> in
    /// <paramref name="root"/> (or rewrites it when <c>COG_UPDATE_GOLDEN=1</c>); a difference is appended to
    /// <paramref name="failures"/> as the lines that differ. A missing expected file is a difference.</summary>
    public static void Check(string root, string name, string file, string actual, StringBuilder failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        var path = Path.Combine(root, name, file);
        if (Environment.GetEnvironmentVariable("COG_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, actual);
            return;
        }
        var expected = File.Exists(path) ? File.ReadAllText(path) : "";
        if (expected != actual)
            failures.Append(name).Append('/').Append(file).Append(" differs (COG_UPDATE_GOLDEN=1 rewrites it):\n").Append(Diff(expected, actual)).Append('\n');
    }

    /// <summary>The lines that differ, with their numbers: <c>-</c> expected, <c>+</c> actual.</summary>
    public static string Diff(string expected, string actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
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
                diff.Append(System.Globalization.CultureInfo.InvariantCulture, $"{i + 1,4} - {a}\n");
            if (b is not null)
                diff.Append(System.Globalization.CultureInfo.InvariantCulture, $"{i + 1,4} + {b}\n");
        }
        return diff.ToString();
    }

    static string ReadOr(string folder, string file, string fallback)
    {
        var path = Path.Combine(folder, file);
        return File.Exists(path) ? File.ReadAllText(path) : fallback;
    }

    /// <summary>The case's bundle: at most one template.</summary>
    sealed class Templates : ITemplateSource
    {
        public BundleTemplates? Bundle { get; set; }

        public ValueTask<BundleTemplates?> FindAsync(string bundle, string version, CancellationToken cancellationToken) =>
            ValueTask.FromResult(Bundle is { } found && found.Bundle == bundle && found.Version == version ? found : null);
    }
}
