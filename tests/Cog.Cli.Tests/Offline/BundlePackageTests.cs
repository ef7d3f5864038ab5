using System.Text.Json;
using Cog.Manifest.Packages;

namespace Cog.Cli.Tests.Offline;

public sealed class BundlePackageTests : IDisposable
{
    readonly string _work = Path.Combine(Path.GetTempPath(), $"cogctl-package-{Guid.NewGuid():N}");

    public BundlePackageTests() => Directory.CreateDirectory(_work);

    public void Dispose() => Directory.Delete(_work, true);

    [Fact]
    public void Package_writes_the_file_and_reports_it_as_json()
    {
        var file = Path.Combine(_work, "out.cogbundle");

        var result = CogCtlRunner.Run("bundle", "package", "--json", "--output", file, CogCtlRunner.Fixture("foo"));

        Assert.Equal(0, result.ExitCode);
        var digest = BundlePackage.Digest(File.OpenRead(file));
        var size = new FileInfo(file).Length;
        var files = Directory.GetFiles(CogCtlRunner.Fixture("foo"), "*", SearchOption.AllDirectories).Length;
        var expected = JsonSerializer.Serialize(new { ok = true, bundle = "foo", version = "1.0.0", file, digest, size, files });
        Assert.Equal(expected + "\n", result.Output);
    }

    [Fact]
    public void Package_reports_name_version_digest_size_and_file_count_as_text()
    {
        var file = Path.Combine(_work, "out.cogbundle");

        var result = CogCtlRunner.Run("bundle", "package", "--output", file, CogCtlRunner.Fixture("foo"));

        Assert.Equal(0, result.ExitCode);
        var lines = result.Output.Split('\n');
        Assert.Equal($"foo 1.0.0 packaged to {file}", lines[0]);
        Assert.Equal($"  digest {BundlePackage.Digest(File.OpenRead(file))}", lines[1]);
        Assert.StartsWith($"  {new FileInfo(file).Length} bytes, ", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_bundle_is_reported_with_its_manifest_errors_and_no_file()
    {
        var bundle = Path.Combine(_work, "bundle");
        Directory.CreateDirectory(bundle);
        File.WriteAllText(Path.Combine(bundle, "config.yaml"), "cog_bundle_version: 3\n");
        var file = Path.Combine(_work, "out.cogbundle");

        var result = CogCtlRunner.Run("bundle", "package", "--json", "--output", file, bundle);

        Assert.Equal(1, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Output);
        Assert.False(doc.RootElement.GetProperty("ok").GetBoolean());
        Assert.Equal("cog_bundle_version 3 is not supported. Please update your bundle config to version 6.",
            doc.RootElement.GetProperty("error").GetProperty("message").GetString());
        Assert.False(File.Exists(file));
    }

    [Fact]
    public void Missing_folder_is_a_usage_error()
    {
        var result = CogCtlRunner.Run("bundle", "package", Path.Combine(_work, "missing"));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"error: '{Path.Combine(_work, "missing")}' is not a bundle folder.\n", result.Error);
    }
}
