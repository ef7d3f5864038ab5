namespace Cog.Sdk.Testing.Tests;

/// <summary>A bundle folder written by a test, removed on disposal.</summary>
sealed class TempBundle : IDisposable
{
    TempBundle(string folder) => Folder = folder;

    public string Folder { get; }

    /// <summary>A folder holding <c>config.yaml</c> and the given files (relative path → content; <c>.sh</c> files are
    /// made executable).</summary>
    public static TempBundle Write(string manifest, params (string Path, string Content)[] files)
    {
        var folder = Directory.CreateTempSubdirectory("cog-kit-tests-").FullName;
        File.WriteAllText(Path.Combine(folder, "config.yaml"), manifest);
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(folder, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
            if (!OperatingSystem.IsWindows() && path.EndsWith(".sh", StringComparison.Ordinal))
                File.SetUnixFileMode(full, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
        return new TempBundle(folder);
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
