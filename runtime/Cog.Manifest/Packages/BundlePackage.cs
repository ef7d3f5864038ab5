using System.Collections.Immutable;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Cog.Manifest.Packages;

/// <summary>Builds, digests and safely unpacks bundle packages (format <c>archive</c>: a ZIP with the manifest at its root).</summary>
/// <remarks>
/// <para>
/// A package holds every file of the bundle folder except: hidden files and folders (names starting with <c>.</c>,
/// such as <c>.git</c>), <c>bin/</c> and <c>obj/</c> folders, C# project sources (<c>*.cs</c>, <c>*.csproj</c>,
/// <c>*.sln</c>, <c>*.slnx</c>, <c>*.props</c>, <c>*.targets</c>, <c>packages.lock.json</c>) and earlier packages
/// (<c>*.cogbundle</c>). The folder of the manifest's <c>assembly</c> and every <c>script</c> are always included,
/// even where those rules would leave them out.
/// </para>
/// <para>
/// Packages are deterministic: entries are sorted by ordinal path, carry a fixed timestamp and only the permissions
/// 0644 or 0755 (executable), so building the same folder twice gives the same digest.
/// </para>
/// <para>Bad input never throws: it yields a failed <see cref="PackageResult"/>. All members are thread-safe.</para>
/// </remarks>
public static class BundlePackage
{
    /// <summary>The file extension of packages built by <c>cogctl bundle package</c>.</summary>
    public const string FileExtension = ".cogbundle";

    const string DigestPrefix = "sha256:";
    const int RegularFileType = 0x8000;
    const int DirectoryType = 0x4000;
    const int SymbolicLinkType = 0xA000;
    const int FileTypeMask = 0xF000;
    const int ExecutableBits = 0x49; // 0111 octal
    const int PlainMode = 0x1A4; // 0644 octal
    const int ExecutableMode = 0x1ED; // 0755 octal

    static readonly DateTimeOffset EntryTimestamp = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    static readonly string[] ExcludedExtensions = [".cs", ".csproj", ".sln", ".slnx", ".props", ".targets", FileExtension];

    /// <summary>Validates the bundle in <paramref name="bundleDirectory"/> and writes its package to <paramref name="output"/>.</summary>
    /// <returns>The package's contents, digest and size; or the manifest's errors, and then nothing is written.</returns>
    public static PackageResult Create(string bundleDirectory, Stream output)
    {
        ArgumentNullException.ThrowIfNull(bundleDirectory);
        ArgumentNullException.ThrowIfNull(output);
        var loaded = ManifestLoader.LoadDirectory(bundleDirectory);
        if (loaded.Manifest is not { } manifest)
        {
            return PackageResult.Failure(loaded);
        }
        try
        {
            var root = Path.GetFullPath(bundleDirectory);
            var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
            var error = Collect(root, root, files, false);
            error ??= AddRequired(root, manifest, files);
            if (error is not null)
            {
                return PackageResult.Failure(error);
            }
            using var buffer = new MemoryStream();
            Write(files, buffer);
            var digest = Digest(new MemoryStream(buffer.GetBuffer(), 0, (int)buffer.Length, false));
            output.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
            return new PackageResult(new PackageContents(manifest, digest, buffer.Length, [.. files.Keys]), null, []);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return PackageResult.Failure(PackageErrors.CannotBuild(e.Message));
        }
    }

    /// <summary>The digest of the bytes of <paramref name="package"/> from its current position: <c>sha256:</c> and 64 lowercase hexadecimal digits.</summary>
    public static string Digest(Stream package)
    {
        ArgumentNullException.ThrowIfNull(package);
        return DigestPrefix + Convert.ToHexStringLower(SHA256.HashData(package));
    }

    /// <summary>Whether <paramref name="digest"/> is <c>sha256:</c> followed by 64 lowercase hexadecimal digits.</summary>
    public static bool IsValidDigest(string digest)
    {
        ArgumentNullException.ThrowIfNull(digest);
        if (digest.Length != DigestPrefix.Length + 64 || !digest.StartsWith(DigestPrefix, StringComparison.Ordinal))
        {
            return false;
        }
        for (var i = DigestPrefix.Length; i < digest.Length; i++)
        {
            if (!char.IsAsciiHexDigitLower(digest[i]) && !char.IsAsciiDigit(digest[i]))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Verifies that <paramref name="package"/> has <paramref name="expectedDigest"/>, then unpacks it into
    /// <paramref name="targetDirectory"/>, which must not exist yet, and validates the manifest there.
    /// </summary>
    /// <remarks>
    /// Nothing is unpacked before the digest matches. Files are unpacked into a temporary sibling folder that is moved
    /// into place only when every entry is safe and the manifest is valid, so the target either appears complete or not
    /// at all. Executable files get mode 0755; no other permission (setuid, setgid) is ever restored.
    /// </remarks>
    public static PackageResult Extract(Stream package, string expectedDigest, string targetDirectory, PackageLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return Receive(package, expectedDigest, targetDirectory, limits, false, (string file, string staging, out ImmutableArray<string> files) =>
            Unpack(file, staging, limits, out files));
    }

    /// <summary>
    /// Verifies that <paramref name="package"/>, a bare manifest (format <c>manifest</c>: a version 4 or 5 bundle whose
    /// executables live on the relay host), has <paramref name="expectedDigest"/>, then writes it as <c>config.yaml</c>
    /// into <paramref name="targetDirectory"/>, which must not exist yet, and validates it.
    /// </summary>
    /// <remarks>As with <see cref="Extract"/>, nothing is written before the digest matches and the target appears complete or not at all.</remarks>
    public static PackageResult ExtractManifest(Stream package, string expectedDigest, string targetDirectory, PackageLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return Receive(package, expectedDigest, targetDirectory, limits, true, (string file, string staging, out ImmutableArray<string> files) =>
        {
            Directory.CreateDirectory(staging);
            File.Move(file, Path.Combine(staging, ManifestLoader.FileNames[0]));
            files = [ManifestLoader.FileNames[0]];
            return null;
        });
    }

    delegate string? Unpacker(string file, string staging, out ImmutableArray<string> files);

    static PackageResult Receive(Stream package, string expectedDigest, string targetDirectory, PackageLimits limits, bool bareManifest, Unpacker unpack)
    {
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(expectedDigest);
        ArgumentNullException.ThrowIfNull(targetDirectory);
        if (!IsValidDigest(expectedDigest))
        {
            return PackageResult.Failure(PackageErrors.InvalidDigest(expectedDigest));
        }
        var target = Path.GetFullPath(targetDirectory);
        if (Directory.Exists(target) || File.Exists(target))
        {
            return PackageResult.Failure(PackageErrors.TargetExists(target));
        }
        var parent = Path.GetDirectoryName(target)!;
        var staging = Path.Combine(parent, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        var downloadPath = staging + ".download";
        try
        {
            Directory.CreateDirectory(parent);
            var (digest, size, error) = CopyAndHash(package, downloadPath, limits.MaxPackageBytes);
            if (error is not null)
            {
                return PackageResult.Failure(error);
            }
            if (digest != expectedDigest)
            {
                return PackageResult.Failure(PackageErrors.DigestMismatch(expectedDigest, digest));
            }
            var unpacked = unpack(downloadPath, staging, out var files);
            if (unpacked is not null)
            {
                return PackageResult.Failure(unpacked);
            }
            var loaded = ManifestLoader.LoadDirectory(staging);
            if (loaded.Manifest is not { } manifest)
            {
                return PackageResult.Failure(loaded);
            }
            if (bareManifest && manifest.ManifestVersion > 5)
            {
                return PackageResult.Failure(PackageErrors.BareManifestVersion(manifest.ManifestVersion));
            }
            Directory.Move(staging, target);
            return new PackageResult(new PackageContents(manifest, digest, size, files), null, []);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return PackageResult.Failure(PackageErrors.CannotExtract(e.Message));
        }
        finally
        {
            TryDelete(downloadPath, staging);
        }
    }

    // ---- Building -----------------------------------------------------------------------------------------

    static string? Collect(string root, string directory, SortedDictionary<string, string> files, bool includeAll)
    {
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos())
        {
            var relative = Path.GetRelativePath(root, entry.FullName).Replace('\\', '/');
            if (entry.LinkTarget is not null)
            {
                if (includeAll || !IsExcluded(entry))
                {
                    return PackageErrors.SymbolicLinkInBundle(relative);
                }
                continue;
            }
            if (!includeAll && IsExcluded(entry))
            {
                continue;
            }
            if (entry is DirectoryInfo)
            {
                var error = Collect(root, entry.FullName, files, includeAll);
                if (error is not null)
                {
                    return error;
                }
            }
            else
            {
                files[relative] = entry.FullName;
            }
        }
        return null;
    }

    static bool IsExcluded(FileSystemInfo entry)
    {
        var name = entry.Name;
        if (name.StartsWith('.'))
        {
            return true;
        }
        if (entry is DirectoryInfo)
        {
            return name is "bin" or "obj";
        }
        if (name.Equals("packages.lock.json", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        var extension = Path.GetExtension(name);
        foreach (var excluded in ExcludedExtensions)
        {
            if (extension.Equals(excluded, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Adds the assembly folder and the scripts even where the exclusion rules skipped them; checks relative executables.</summary>
    static string? AddRequired(string root, BundleManifest manifest, SortedDictionary<string, string> files)
    {
        if (manifest.Assembly is { } assembly)
        {
            var folder = Path.GetDirectoryName(Path.Combine(root, assembly.Replace('\\', '/')))!;
            var error = Collect(root, folder, files, true);
            if (error is not null)
            {
                return error;
            }
        }
        foreach (var command in manifest.Commands)
        {
            if (command.Kind == CommandKind.Script)
            {
                var path = Path.GetFullPath(Path.Combine(root, command.Target.Replace('\\', '/')));
                files[Path.GetRelativePath(root, path).Replace('\\', '/')] = path;
            }
            else if (command.Kind == CommandKind.Executable && manifest.ManifestVersion >= 6 && !NamesHostProgram(command.Target))
            {
                var path = Path.GetFullPath(Path.Combine(root, command.Target.Replace('\\', '/')));
                var relative = Path.GetRelativePath(root, path).Replace('\\', '/');
                if (!File.Exists(path) || relative.StartsWith("../", StringComparison.Ordinal))
                {
                    return PackageErrors.ExecutableNotFound(command.Name, command.Target);
                }
                files[relative] = path;
            }
        }
        return null;
    }

    // Absolute paths and bare program names (found on PATH) are on the relay host, not in the bundle.
    static bool NamesHostProgram(string path) =>
        path.StartsWith('/') || path.StartsWith('\\') || path.StartsWith('~') || Path.IsPathRooted(path)
        || !(path.Contains('/') || path.Contains('\\'));

    static void Write(SortedDictionary<string, string> files, Stream output)
    {
        using var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var (relative, fullPath) in files)
        {
            var entry = archive.CreateEntry(relative, CompressionLevel.Optimal);
            entry.LastWriteTime = EntryTimestamp;
            var mode = IsExecutable(fullPath) ? ExecutableMode : PlainMode;
            entry.ExternalAttributes = (RegularFileType | mode) << 16;
            using var source = File.OpenRead(fullPath);
            using var destination = entry.Open();
            source.CopyTo(destination);
        }
    }

    static bool IsExecutable(string path) =>
        !OperatingSystem.IsWindows() && ((int)File.GetUnixFileMode(path) & ExecutableBits) != 0;

    // ---- Unpacking ----------------------------------------------------------------------------------------

    static (string Digest, long Size, string? Error) CopyAndHash(Stream package, string path, long limit)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        var buffer = new byte[81920];
        long size = 0;
        int read;
        while ((read = package.Read(buffer, 0, buffer.Length)) > 0)
        {
            size += read;
            if (size > limit)
            {
                return ("", size, PackageErrors.PackageTooLarge(limit));
            }
            hash.AppendData(buffer, 0, read);
            file.Write(buffer, 0, read);
        }
        return (DigestPrefix + Convert.ToHexStringLower(hash.GetHashAndReset()), size, null);
    }

    static string? Unpack(string archivePath, string staging, PackageLimits limits, out ImmutableArray<string> files)
    {
        files = [];
        ZipArchive archive;
        try
        {
            archive = ZipFile.OpenRead(archivePath);
        }
        catch (InvalidDataException e)
        {
            return PackageErrors.NotAnArchive(e.Message);
        }
        using (archive)
        {
            var entries = archive.Entries;
            if (entries.Count > limits.MaxEntries)
            {
                return PackageErrors.TooManyEntries(entries.Count, limits.MaxEntries);
            }
            var error = CheckEntries(entries, staging, limits);
            if (error is not null)
            {
                return error;
            }
            Directory.CreateDirectory(staging);
            var names = new List<string>(entries.Count);
            long total = 0;
            foreach (var entry in entries)
            {
                var path = Path.Combine(staging, entry.FullName);
                if (entry.FullName.EndsWith('/'))
                {
                    Directory.CreateDirectory(path);
                    continue;
                }
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                try
                {
                    error = CopyEntry(entry, path, limits.MaxTotalBytes, ref total);
                }
                catch (InvalidDataException e)
                {
                    error = PackageErrors.NotAnArchive(e.Message);
                }
                if (error is not null)
                {
                    return error;
                }
                if (!OperatingSystem.IsWindows() && ((entry.ExternalAttributes >> 16) & ExecutableBits) != 0)
                {
                    File.SetUnixFileMode(path, (UnixFileMode)ExecutableMode);
                }
                names.Add(entry.FullName);
            }
            names.Sort(StringComparer.Ordinal);
            files = [.. names];
            return null;
        }
    }

    static string? CheckEntries(IReadOnlyCollection<ZipArchiveEntry> entries, string staging, PackageLimits limits)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var root = staging + Path.DirectorySeparatorChar;
        long declared = 0;
        foreach (var entry in entries)
        {
            var name = entry.FullName;
            var error = CheckName(name);
            if (error is not null)
            {
                return error;
            }
            var full = Path.GetFullPath(Path.Combine(staging, name));
            if (!full.StartsWith(root, StringComparison.Ordinal))
            {
                return PackageErrors.EntryOutsideTarget(name);
            }
            var type = (entry.ExternalAttributes >> 16) & FileTypeMask;
            if (type == SymbolicLinkType)
            {
                return PackageErrors.SymbolicLinkEntry(name);
            }
            var isFolder = name.EndsWith('/');
            if (type != 0 && type != (isFolder ? DirectoryType : RegularFileType))
            {
                return PackageErrors.SpecialFileEntry(name);
            }
            if (!seen.Add(name.TrimEnd('/')))
            {
                return PackageErrors.DuplicateEntry(name);
            }
            declared += entry.Length;
            if (declared > limits.MaxTotalBytes)
            {
                return PackageErrors.TooLarge(limits.MaxTotalBytes);
            }
        }
        return null;
    }

    static string? CheckName(string name)
    {
        if (name.Length == 0 || name.Contains('\\') || name.Contains(':') || HasControlCharacter(name))
        {
            return name.Length > 1 && name[1] == ':' && char.IsAsciiLetter(name[0])
                ? PackageErrors.AbsoluteEntry(name)
                : PackageErrors.InvalidEntryName(name);
        }
        if (name.StartsWith('/') || name.StartsWith('~'))
        {
            return PackageErrors.AbsoluteEntry(name);
        }
        foreach (var segment in name.TrimEnd('/').Split('/'))
        {
            if (segment == "..")
            {
                return PackageErrors.ParentSegmentEntry(name);
            }
            if (segment.Length == 0 || segment == ".")
            {
                return PackageErrors.InvalidEntryName(name);
            }
        }
        return null;
    }

    static bool HasControlCharacter(string name)
    {
        foreach (var c in name)
        {
            if (char.IsControl(c))
            {
                return true;
            }
        }
        return false;
    }

    static string? CopyEntry(ZipArchiveEntry entry, string path, long limit, ref long total)
    {
        using var source = entry.Open();
        using var destination = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        var buffer = new byte[81920];
        long written = 0;
        int read;
        while ((read = source.Read(buffer, 0, buffer.Length)) > 0)
        {
            written += read;
            total += read;
            if (written > entry.Length)
            {
                return PackageErrors.EntryLengthMismatch(entry.FullName);
            }
            if (total > limit)
            {
                return PackageErrors.TooLarge(limit);
            }
            destination.Write(buffer, 0, read);
        }
        return null;
    }

    static void TryDelete(string file, string directory)
    {
        try
        {
            File.Delete(file);
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover temporary folder is harmless and has a unique name.
        }
    }
}
