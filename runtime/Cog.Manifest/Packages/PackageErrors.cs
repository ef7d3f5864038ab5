namespace Cog.Manifest.Packages;

/// <summary>Every message that building or unpacking a bundle package can produce (the tests pin each text).</summary>
public static class PackageErrors
{
    /// <summary>The manifest failed validation; its errors come with the result.</summary>
    public const string InvalidManifest = "The bundle's manifest is invalid.";

    /// <summary>The bundle folder holds a symbolic link.</summary>
    public static string SymbolicLinkInBundle(string path) =>
        $"The bundle holds the symbolic link '{path}'; packages carry regular files only.";

    /// <summary>A version 6 command's relative executable is missing from the bundle.</summary>
    public static string ExecutableNotFound(string command, string path) =>
        $"The executable '{path}' of command '{command}' does not exist in the bundle.";

    /// <summary>The bundle folder cannot be read or the package cannot be written.</summary>
    public static string CannotBuild(string reason) => $"The package cannot be built: {reason}";

    /// <summary>The expected digest is not in the <c>sha256:</c> form.</summary>
    public static string InvalidDigest(string digest) =>
        $"The digest '{digest}' is invalid: expected 'sha256:' followed by 64 lowercase hexadecimal digits.";

    /// <summary>The package file is larger than the limit.</summary>
    public static string PackageTooLarge(long limit) => $"The package is larger than {limit} bytes.";

    /// <summary>The package's digest differs from the expected one.</summary>
    public static string DigestMismatch(string expected, string actual) =>
        $"The package's digest {actual} does not match the expected {expected}.";

    /// <summary>The target folder already exists.</summary>
    public static string TargetExists(string path) => $"The folder '{path}' already exists.";

    /// <summary>The package is not a readable ZIP archive.</summary>
    public static string NotAnArchive(string reason) => $"The package is not a valid ZIP archive: {reason}";

    /// <summary>The archive has more entries than the limit.</summary>
    public static string TooManyEntries(int count, int limit) => $"The package has {count} entries; at most {limit} are allowed.";

    /// <summary>The archive unpacks to more bytes than the limit.</summary>
    public static string TooLarge(long limit) => $"The package unpacks to more than {limit} bytes.";

    /// <summary>An entry name is empty or uses a backslash or a control character.</summary>
    public static string InvalidEntryName(string name) => $"The package entry '{name}' has an invalid name.";

    /// <summary>An entry name is an absolute path.</summary>
    public static string AbsoluteEntry(string name) => $"The package entry '{name}' is an absolute path.";

    /// <summary>An entry name has a <c>..</c> segment.</summary>
    public static string ParentSegmentEntry(string name) => $"The package entry '{name}' contains a '..' segment.";

    /// <summary>An entry resolves outside the target folder.</summary>
    public static string EntryOutsideTarget(string name) => $"The package entry '{name}' resolves outside the target folder.";

    /// <summary>An entry is a symbolic link.</summary>
    public static string SymbolicLinkEntry(string name) => $"The package entry '{name}' is a symbolic link.";

    /// <summary>An entry is neither a regular file nor a folder.</summary>
    public static string SpecialFileEntry(string name) => $"The package entry '{name}' is not a regular file.";

    /// <summary>Two entries have the same name (ignoring case).</summary>
    public static string DuplicateEntry(string name) => $"The package holds '{name}' more than once.";

    /// <summary>An entry's data is larger than its header says.</summary>
    public static string EntryLengthMismatch(string name) => $"The package entry '{name}' is larger than its header says.";

    /// <summary>A package of format <c>manifest</c> holds a version 6 manifest.</summary>
    public static string BareManifestVersion(int version) =>
        $"A 'manifest' package must hold a cog_bundle_version 4 or 5 manifest, not version {version}; version 6 bundles are 'archive' packages.";

    /// <summary>Unpacking failed for a file system reason.</summary>
    public static string CannotExtract(string reason) => $"The package cannot be unpacked: {reason}";
}
