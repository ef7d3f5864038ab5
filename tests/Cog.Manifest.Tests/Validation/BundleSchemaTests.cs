using System.Text.Json;
using System.Text.Json.Nodes;
using Cog.Manifest.Validation;
using Json.Schema;

namespace Cog.Manifest.Tests.Validation;

public class BundleSchemaTests
{
    [Fact]
    public void Embedded_schema_is_the_repository_file()
    {
        using var stream = typeof(BundleSchema).Assembly.GetManifestResourceStream(BundleSchema.ResourceName)!;
        using var reader = new StreamReader(stream);

        Assert.Equal(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "bundle-schema.yaml")), reader.ReadToEnd());
    }

    [Fact]
    public void Schema_is_a_valid_draft_2020_12_schema()
    {
        using var document = JsonDocument.Parse(BundleSchema.Instance.Document.ToJsonString());

        var results = MetaSchemas.Draft202012.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });

        Assert.True(results.IsValid, JsonSerializer.Serialize(results));
    }

    [Fact]
    public void Schema_accepts_versions_4_5_and_6()
    {
        var versions = BundleSchema.Instance.Document["properties"]!["cog_bundle_version"]!["enum"]!.AsArray();

        Assert.Equal([4, 5, 6], versions.Select(v => v!.GetValue<long>()));
        Assert.Equal(ManifestErrors.CurrentVersion, versions.Max(v => v!.GetValue<long>()));
    }

    [Fact]
    public void Every_error_message_in_the_schema_ends_with_a_full_stop()
    {
        var messages = new List<string>();
        Collect(BundleSchema.Instance.Document, messages);

        Assert.NotEmpty(messages);
        Assert.All(messages, m => Assert.EndsWith(".", m, StringComparison.Ordinal));
    }

    static void Collect(JsonNode? node, List<string> messages)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (key == "errorMessage")
                    {
                        messages.Add(value!.GetValue<string>());
                    }
                    Collect(value, messages);
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Collect(item, messages);
                }
                break;
        }
    }
}
