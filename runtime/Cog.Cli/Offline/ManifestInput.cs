using Cog.Manifest;

namespace Cog.Cli.Offline;

/// <summary>Reads a manifest given on the command line as a bundle folder or a manifest file.</summary>
static class ManifestInput
{
    /// <summary>Loads <paramref name="path"/>; false (and a message on <paramref name="error"/>) when it names nothing readable.</summary>
    public static bool TryLoad(string path, TextWriter error, out ManifestResult result)
    {
        if (Directory.Exists(path))
        {
            result = ManifestLoader.LoadDirectory(path);
            return true;
        }
        if (File.Exists(path))
        {
            result = ManifestLoader.LoadFile(path);
            return true;
        }
        error.WriteLine($"error: '{path}' is neither a bundle folder nor a manifest file.");
        result = null!;
        return false;
    }
}
