using System.IO.Compression;
using System.Runtime.Versioning;
using System.Text;
using Cog.Manifest.Packages;

namespace Cog.Manifest.Tests.Packages;

public sealed class BundlePackageTests : IDisposable
{
    const string ValidManifest = """
        cog_bundle_version: 6
        name: tiny
        description: A tiny bundle
        version: 1.0.0
        commands:
          go:
            executable: commands/go.sh
            rules:
              - allow
        """;

    readonly string _work = Path.Combine(Path.GetTempPath(), $"cog-package-tests-{Guid.NewGuid():N}");

    public BundlePackageTests() => Directory.CreateDirectory(_work);

    public void Dispose() => Directory.Delete(_work, true);

    [Theory]
    [InlineData("cog1-shell", new[] { "README.md", "config.yaml", "context.sh", "greet.sh" })]
    [InlineData("executable-v6", new[] { "README.md", "commands/motd.sh", "commands/wait.sh", "config.yaml", "data/motd.txt" })]
    [InlineData("echo-script", new[] { "README.md", "config.yaml", "scripts/order.csx", "scripts/say.csx" })]
    public void Example_bundle_round_trips_with_exactly_its_files(string example, string[] expectedFiles)
    {
        var source = Path.Combine(RepositoryPaths.Root, "bundles", "examples", example);

        var (built, bytes) = Build(source);
        var extracted = Extract(bytes, built.Contents!.Digest);

        Assert.True(extracted.Succeeded, extracted.Error);
        Assert.Equal(expectedFiles, built.Contents.Files);
        Assert.Equal(expectedFiles, extracted.Contents.Files);
        Assert.Equal(built.Contents.Manifest.Name, extracted.Contents.Manifest.Name);
        Assert.Equal(bytes.Length, extracted.Contents.Size);
        foreach (var file in expectedFiles)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(source, file)), File.ReadAllBytes(Path.Combine(Target, file)));
        }
    }

    [Fact]
    public void Assembly_bundle_carries_its_library_folder_and_not_its_sources()
    {
        var source = Path.Combine(RepositoryPaths.Root, "bundles", "examples", "echo-assembly");

        var (built, bytes) = Build(source);
        var extracted = Extract(bytes, built.Contents!.Digest);

        Assert.True(extracted.Succeeded, extracted.Error);
        Assert.Contains("lib/EchoAssembly.dll", extracted.Contents.Files);
        Assert.Contains("config.yaml", extracted.Contents.Files);
        Assert.DoesNotContain(extracted.Contents.Files, f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".csproj", StringComparison.Ordinal)
            || f.StartsWith("obj/", StringComparison.Ordinal) || f.StartsWith('.') || f == "packages.lock.json");
        Assert.True(File.Exists(Path.Combine(Target, "lib", "EchoAssembly.dll")));
    }

    [Fact]
    public void Building_twice_gives_the_same_bytes_and_digest()
    {
        var source = Path.Combine(RepositoryPaths.Root, "bundles", "examples", "executable-v6");

        var (first, firstBytes) = Build(source);
        var (second, secondBytes) = Build(source);

        Assert.Equal(first.Contents!.Digest, second.Contents!.Digest);
        Assert.Equal(firstBytes, secondBytes);
        Assert.Equal(BundlePackage.Digest(new MemoryStream(firstBytes)), first.Contents.Digest);
        Assert.Matches("^sha256:[0-9a-f]{64}$", first.Contents.Digest);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void Executable_bit_is_restored_and_plain_files_stay_plain()
    {
        var source = Path.Combine(RepositoryPaths.Root, "bundles", "examples", "executable-v6");

        var (built, bytes) = Build(source);
        Assert.True(Extract(bytes, built.Contents!.Digest).Succeeded);

        Assert.Equal((UnixFileMode)0x1ED, File.GetUnixFileMode(Path.Combine(Target, "commands", "motd.sh")));
        Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(Path.Combine(Target, "data", "motd.txt")) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute));
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void Setuid_bits_in_an_archive_are_never_applied()
    {
        var bytes = Zip(("config.yaml", ValidManifest, 0), ("commands/go.sh", "#!/bin/sh\n", 0x8000 | 0xDED)); // 06755

        var result = Extract(bytes, Digest(bytes));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal((UnixFileMode)0x1ED, File.GetUnixFileMode(Path.Combine(Target, "commands", "go.sh")));
    }

    [Fact]
    public void Digest_mismatch_is_refused_before_anything_is_written()
    {
        var bytes = Zip(("config.yaml", ValidManifest, 0), ("commands/go.sh", "#!/bin/sh\n", 0));
        var wrong = "sha256:" + new string('0', 64);

        var result = Extract(bytes, wrong);

        Assert.False(result.Succeeded);
        Assert.Equal(PackageErrors.DigestMismatch(wrong, Digest(bytes)), result.Error);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_work));
    }

    [Theory]
    [InlineData("sha256:ABC")]
    [InlineData("md5:0123")]
    public void Malformed_expected_digest_is_refused(string digest)
    {
        var result = Extract(Zip(("config.yaml", ValidManifest, 0)), digest);

        Assert.Equal(PackageErrors.InvalidDigest(digest), result.Error);
    }

    [Theory]
    [InlineData("../evil.sh", "The package entry '../evil.sh' contains a '..' segment.")]
    [InlineData("commands/../../evil.sh", "The package entry 'commands/../../evil.sh' contains a '..' segment.")]
    [InlineData("/etc/evil", "The package entry '/etc/evil' is an absolute path.")]
    [InlineData("C:/evil", "The package entry 'C:/evil' is an absolute path.")]
    [InlineData("commands\\evil", "The package entry 'commands\\evil' has an invalid name.")]
    [InlineData("a//b", "The package entry 'a//b' has an invalid name.")]
    public void Unsafe_entry_names_are_refused_and_nothing_is_left(string name, string message)
    {
        var bytes = Zip(("config.yaml", ValidManifest, 0), (name, "x", 0));

        var result = Extract(bytes, Digest(bytes));

        Assert.Equal(message, result.Error);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_work));
    }

    [Fact]
    public void Symbolic_link_entry_is_refused()
    {
        var bytes = Zip(("config.yaml", ValidManifest, 0), ("link", "/etc/passwd", 0xA1FF));

        var result = Extract(bytes, Digest(bytes));

        Assert.Equal(PackageErrors.SymbolicLinkEntry("link"), result.Error);
        Assert.False(Directory.Exists(Target));
    }

    [Fact]
    public void Special_file_entry_is_refused()
    {
        var bytes = Zip(("config.yaml", ValidManifest, 0), ("pipe", "", 0x11A4)); // a FIFO, 0644

        var result = Extract(bytes, Digest(bytes));

        Assert.Equal("The package entry 'pipe' is not a regular file.", result.Error);
    }

    [Theory]
    [InlineData("config.yaml")]
    [InlineData("CONFIG.yaml")]
    public void Duplicate_entries_are_refused(string second)
    {
        var bytes = Zip(("config.yaml", ValidManifest, 0), (second, ValidManifest, 0));

        var result = Extract(bytes, Digest(bytes));

        Assert.Equal(PackageErrors.DuplicateEntry(second), result.Error);
    }

    [Fact]
    public void Too_many_entries_are_refused()
    {
        var bytes = Zip(("config.yaml", ValidManifest, 0), ("a", "1", 0), ("b", "2", 0));

        var result = Extract(bytes, Digest(bytes), PackageLimits.Default with { MaxEntries = 2 });

        Assert.Equal("The package has 3 entries; at most 2 are allowed.", result.Error);
    }

    [Fact]
    public void Too_large_unpacked_size_is_refused()
    {
        var bytes = Zip(("config.yaml", ValidManifest, 0), ("zeros", new string('0', 100_000), 0));

        var result = Extract(bytes, Digest(bytes), PackageLimits.Default with { MaxTotalBytes = 50_000 });

        Assert.Equal("The package unpacks to more than 50000 bytes.", result.Error);
        Assert.False(Directory.Exists(Target));
    }

    [Fact]
    public void Too_large_package_file_is_refused()
    {
        var bytes = Zip(("config.yaml", ValidManifest, 0));

        var result = Extract(bytes, Digest(bytes), PackageLimits.Default with { MaxPackageBytes = 10 });

        Assert.Equal("The package is larger than 10 bytes.", result.Error);
    }

    [Fact]
    public void Bytes_that_are_not_a_zip_are_refused()
    {
        var bytes = Encoding.UTF8.GetBytes(ValidManifest);

        var result = Extract(bytes, Digest(bytes));

        Assert.StartsWith("The package is not a valid ZIP archive: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Existing_target_is_refused()
    {
        var bytes = Zip(("config.yaml", ValidManifest, 0), ("commands/go.sh", "#!/bin/sh\n", 0));
        Directory.CreateDirectory(Target);

        var result = Extract(bytes, Digest(bytes));

        Assert.Equal(PackageErrors.TargetExists(Target), result.Error);
    }

    [Fact]
    public void Extracted_package_with_an_invalid_manifest_is_refused_with_its_errors()
    {
        var bytes = Zip(("config.yaml", "cog_bundle_version: 3\n", 0));

        var result = Extract(bytes, Digest(bytes));

        Assert.Equal(PackageErrors.InvalidManifest, result.Error);
        Assert.Equal("cog_bundle_version 3 is not supported. Please update your bundle config to version 6.", Assert.Single(result.ManifestErrors).Message);
        Assert.False(Directory.Exists(Target));
    }

    [Fact]
    public void Invalid_bundle_is_refused_with_its_manifest_errors_and_nothing_is_written()
    {
        var bundle = Path.Combine(_work, "bundle");
        Directory.CreateDirectory(bundle);
        File.WriteAllText(Path.Combine(bundle, "config.yaml"), "cog_bundle_version: 3\n");
        using var output = new MemoryStream();

        var result = BundlePackage.Create(bundle, output);

        Assert.Equal(PackageErrors.InvalidManifest, result.Error);
        Assert.Equal("cog_bundle_version 3 is not supported. Please update your bundle config to version 6.", Assert.Single(result.ManifestErrors).Message);
        Assert.Equal(0, output.Length);
    }

    [Fact]
    public void Missing_relative_executable_is_refused()
    {
        var bundle = Path.Combine(_work, "bundle");
        Directory.CreateDirectory(bundle);
        File.WriteAllText(Path.Combine(bundle, "config.yaml"), ValidManifest);

        var result = BundlePackage.Create(bundle, new MemoryStream());

        Assert.Equal("The executable 'commands/go.sh' of command 'go' does not exist in the bundle.", result.Error);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void Symbolic_link_in_a_bundle_is_refused()
    {
        var bundle = Path.Combine(_work, "bundle");
        Directory.CreateDirectory(Path.Combine(bundle, "commands"));
        File.WriteAllText(Path.Combine(bundle, "config.yaml"), ValidManifest);
        File.WriteAllText(Path.Combine(bundle, "commands", "go.sh"), "#!/bin/sh\n");
        File.CreateSymbolicLink(Path.Combine(bundle, "secret"), "/etc/passwd");

        var result = BundlePackage.Create(bundle, new MemoryStream());

        Assert.Equal("The bundle holds the symbolic link 'secret'; packages carry regular files only.", result.Error);
    }

    [Fact]
    public void Bare_manifest_package_is_verified_and_written_as_config_yaml()
    {
        var source = Path.Combine(RepositoryPaths.Root, "bundles", "examples", "cog1-shell", "config.yaml");
        var bytes = File.ReadAllBytes(source);

        var result = BundlePackage.ExtractManifest(new MemoryStream(bytes), Digest(bytes), Target, PackageLimits.Default);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(["config.yaml"], result.Contents.Files);
        Assert.Equal(5, result.Contents.Manifest.ManifestVersion);
        Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(Target, "config.yaml")));
        Assert.Single(Directory.EnumerateFileSystemEntries(_work));
    }

    [Fact]
    public void Bare_manifest_package_with_a_wrong_digest_writes_nothing()
    {
        var bytes = Encoding.UTF8.GetBytes(ValidManifest);
        var wrong = "sha256:" + new string('a', 64);

        var result = BundlePackage.ExtractManifest(new MemoryStream(bytes), wrong, Target, PackageLimits.Default);

        Assert.Equal(PackageErrors.DigestMismatch(wrong, Digest(bytes)), result.Error);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_work));
    }

    [Fact]
    public void Bare_manifest_package_of_version_6_is_refused()
    {
        var bytes = Encoding.UTF8.GetBytes(ValidManifest.Replace("executable: commands/go.sh", "executable: /bin/true", StringComparison.Ordinal));

        var result = BundlePackage.ExtractManifest(new MemoryStream(bytes), Digest(bytes), Target, PackageLimits.Default);

        Assert.Equal("A 'manifest' package must hold a cog_bundle_version 4 or 5 manifest, not version 6; version 6 bundles are 'archive' packages.", result.Error);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_work));
    }

    string Target => Path.Combine(_work, "target");

    static (PackageResult Result, byte[] Bytes) Build(string source)
    {
        using var output = new MemoryStream();
        var result = BundlePackage.Create(source, output);
        Assert.True(result.Succeeded, result.Error + string.Join("\n", result.ManifestErrors));
        Assert.Equal(output.Length, result.Contents.Size);
        return (result, output.ToArray());
    }

    PackageResult Extract(byte[] bytes, string digest, PackageLimits? limits = null) =>
        BundlePackage.Extract(new MemoryStream(bytes), digest, Target, limits ?? PackageLimits.Default);

    static string Digest(byte[] bytes) => BundlePackage.Digest(new MemoryStream(bytes));

    /// <summary>A ZIP with the given entries; a non-zero mode is stored as Unix attributes (type and permission bits).</summary>
    static byte[] Zip(params (string Name, string Content, int Mode)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content, mode) in entries)
            {
                var entry = archive.CreateEntry(name);
                if (mode != 0)
                {
                    entry.ExternalAttributes = mode << 16;
                }
                using var stream = entry.Open();
                stream.Write(Encoding.UTF8.GetBytes(content));
            }
        }
        return buffer.ToArray();
    }
}
