namespace Cog.Relay.Execution.Executables;

/// <summary>Finds the file an executable command names.</summary>
/// <remarks>
/// An absolute path is used as it is (Cog 1.0: programs installed on the relay host). A relative path (version 6)
/// is resolved inside the bundle folder and must stay there, through <c>..</c> and through a symbolic link alike.
/// The file must exist and, on Unix, carry an execute permission bit.
/// </remarks>
static class ExecutablePath
{
    /// <summary>Resolves <paramref name="target"/>; on failure, <paramref name="error"/> is the message for the user.</summary>
    public static bool TryResolve(string target, string bundleDirectory, out string path, out string error)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(bundleDirectory);
        path = "";
        error = "";
        if (Path.IsPathFullyQualified(target))
        {
            path = target;
        }
        else
        {
            var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(bundleDirectory)) + Path.DirectorySeparatorChar;
            var full = Path.GetFullPath(Path.Combine(root, target));
            if (!IsInside(full, root) || !LinkStaysInside(full, root))
            {
                error = ExecutableErrors.OutsideBundle(target);
                return false;
            }
            path = full;
        }
        if (!File.Exists(path))
        {
            error = ExecutableErrors.NotFound(target);
            return false;
        }
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) == 0)
        {
            error = ExecutableErrors.NotExecutable(target);
            return false;
        }
        return true;
    }

    static bool IsInside(string path, string root) =>
        path.StartsWith(root, OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    // A link inside the bundle may not point out of it (a missing file is reported later as not found).
    static bool LinkStaysInside(string path, string root)
    {
        try
        {
            var target = File.ResolveLinkTarget(path, returnFinalTarget: true);
            return target is null || IsInside(Path.GetFullPath(target.FullName), root);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
