using System.Text.Json;

namespace Cog.Cli.Tests.Offline;

public class BundleValidateTests
{
    [Fact]
    public void A_valid_bundle_folder_is_reported_with_its_commands()
    {
        var result = CogCtlRunner.Run("bundle", "validate", "--json", CogCtlRunner.Fixture("foo"));

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("""{"ok":true,"bundle":"foo","version":"1.0.0","cog_bundle_version":5,"commands":["bar","baz","qux"],"warnings":[""", result.Output, StringComparison.Ordinal);
        // Its executables are absolute paths on the relay hosts: warnings (not checked), not errors.
        using var doc = JsonDocument.Parse(result.Output);
        Assert.Equal(["#/commands/bar/executable", "#/commands/baz/executable", "#/commands/qux/executable"],
            doc.RootElement.GetProperty("warnings").EnumerateArray().Select(w => w.GetProperty("pointer").GetString()));
    }

    [Fact]
    public void Every_error_of_a_broken_manifest_is_reported_with_its_location()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cogctl-broken-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, """
            cog_bundle_version: 5
            name: broken
            description: two problems
            version: 0.1
            permissions: [broken:read]
            commands:
              go:
                executable: /bin/true
                rules:
                  - must have broken:write
            """);
        try
        {
            var result = CogCtlRunner.Run("bundle", "validate", "--json", path);

            Assert.Equal(1, result.ExitCode);
            using var doc = JsonDocument.Parse(result.Output);
            var errors = doc.RootElement.GetProperty("errors").EnumerateArray().ToArray();
            Assert.True(errors.Length >= 2, result.Output);
            Assert.Contains(errors, e => e.GetProperty("line").GetInt32() == 4 && e.GetProperty("pointer").GetString() == "#/version");
            Assert.Contains(errors, e => e.GetProperty("line").GetInt32() == 10 && e.GetProperty("message").GetString() == "The permission 'broken:write' is not in the list of permissions.");
            Assert.Equal(errors[0].GetRawText(), doc.RootElement.GetProperty("error").GetRawText());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_manifest_the_yaml_parser_cannot_read_is_reported_with_its_location()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cogctl-tag-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "cog_bundle_version: 6\nname: broken\ndescription: !!str[\n");
        try
        {
            var result = CogCtlRunner.Run("bundle", "validate", "--json", path);

            Assert.Equal(1, result.ExitCode);
            using var doc = JsonDocument.Parse(result.Output);
            var error = Assert.Single(doc.RootElement.GetProperty("errors").EnumerateArray());
            Assert.Equal((3, 14, "YAML syntax error: Global tags must be valid URIs."),
                (error.GetProperty("line").GetInt32(), error.GetProperty("column").GetInt32(), error.GetProperty("message").GetString()));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
