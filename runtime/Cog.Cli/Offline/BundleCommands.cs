using System.CommandLine;
using Cog.BundleChecks;
using Cog.Cli.Output;
using Cog.Manifest;
using Cog.Manifest.Packages;

namespace Cog.Cli.Offline;

/// <summary><c>cogctl bundle validate</c> and <c>cogctl bundle package</c>.</summary>
static class BundleCommands
{
    public static Command Create(TextWriter output, TextWriter error, Option<bool> json)
    {
        var path = new Argument<string>("PATH") { Description = "A bundle folder (holding config.yaml), a manifest file or a package (.cogbundle)." };

        var validate = new Command("validate", "Validate a bundle: its manifest (bundle-schema.yaml and the semantic checks), and that its scripts compile, " +
            "its command types load, its templates parse and its executables are executable; report every error.")
        {
            path,
        };
        validate.SetAction(r => Validate(r.GetValue(path)!, r.GetValue(json), output, error));
        var directory = new Argument<string>("DIR") { Description = "The bundle folder (holding config.yaml)." };
        var file = new Option<string?>("--output") { Description = "The package file to write (default: NAME-VERSION.cogbundle in the current folder)." };
        
        var package = new Command("package", "Validate a bundle folder as `bundle validate` does and build its package (a deterministic ZIP) for `cogctl bundle install`.")
        {
            directory, file,
        };
        package.SetAction(r => Package(r.GetValue(directory)!, r.GetValue(file), r.GetValue(json), output, error));
        return new Command("bundle", "Work with bundles.") { validate, package };
    }

    internal static int Validate(string path, bool json, TextWriter output, TextWriter error)
    {
        if (File.Exists(path) && !ManifestLoader.HasManifestExtension(path))
        {
            return ValidatePackage(path, json, output, error);
        }
        if (!ManifestInput.TryLoad(path, error, out var result))
        {
            return ExitCodes.Usage;
        }
        var folder = Directory.Exists(path) ? path : Path.GetDirectoryName(path) is { Length: > 0 } parent ? parent : ".";
        return Report(CheckCode(result, folder, folder), json, output, error);
    }

    /// <summary>Validates a package as the server will install it: extracted (the relay's checks: safe entries, limits,
    /// the manifest with its files) into a temporary folder, whose paths the errors name relative to the bundle.</summary>
    static int ValidatePackage(string path, bool json, TextWriter output, TextWriter error)
    {
        var target = Path.Combine(Path.GetTempPath(), "cogctl-validate-" + Guid.NewGuid().ToString("N"));
        try
        {
            byte[] package;
            try
            {
                package = File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"error: cannot read '{path}': {e.Message}");
                return ExitCodes.Usage;
            }
            var digest = BundlePackage.Digest(new MemoryStream(package, writable: false));
            var extracted = BundlePackage.Extract(new MemoryStream(package, writable: false), digest, target, PackageLimits.Default);
            if (!extracted.Succeeded)
            {
                return PackageFailed(extracted, json, output, error);
            }
            return Report(CheckCode(ManifestLoader.LoadDirectory(target), target, ""), json, output, error);
        }
        finally
        {
            if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true);
            }
        }
    }

    /// <summary>Adds the checks of the bundle's code, templates and executables (<see cref="BundleCodeChecks"/>) to a
    /// manifest that loaded; <paramref name="displayFolder"/> prefixes the paths in errors.</summary>
    static ManifestResult CheckCode(ManifestResult loaded, string folder, string displayFolder)
    {
        if (loaded.Manifest is not { } manifest)
        {
            return loaded;
        }
        var (errors, warnings) = BundleCodeChecks.CheckFolder(folder, displayFolder, manifest, CancellationToken.None);
        return errors.IsEmpty
            ? loaded with { Warnings = [.. loaded.Warnings, .. warnings] }
            : new ManifestResult(null, errors, [.. loaded.Warnings, .. warnings]);
    }

    static int Report(ManifestResult result, bool json, TextWriter output, TextWriter error)
    {
        if (result.Manifest is not { } manifest)
        {
            WriteWarnings(result.Warnings, error);
            WriteErrors(result, json, output, error);
            return ExitCodes.Failure;
        }
        if (json)
        {
            JsonOutput.Write(output, w =>
            {
                w.WriteStartObject();
                w.WriteBoolean("ok", true);
                w.WriteString("bundle", manifest.Name);
                w.WriteString("version", manifest.Version);
                w.WriteNumber("cog_bundle_version", manifest.ManifestVersion);
                RuleCommands.WriteStrings(w, "commands", [.. manifest.Commands.Select(c => c.Name)]);
                w.WriteStartArray("warnings");
                foreach (var warning in result.Warnings)
                {
                    WriteError(w, warning);
                }
                w.WriteEndArray();
                w.WriteEndObject();
            });
        }
        else
        {
            WriteWarnings(result.Warnings, error);
            output.WriteLine($"{manifest.Name} {manifest.Version} (cog_bundle_version {manifest.ManifestVersion}) is valid.");
            foreach (var command in manifest.Commands)
            {
                output.WriteLine($"  {command.Name,-24} {command.Kind.ToString().ToLowerInvariant()} {command.Target}");
            }
        }
        return ExitCodes.Success;
    }

    internal static int Package(string directory, string? file, bool json, TextWriter output, TextWriter error)
    {
        if (Build(directory, json, output, error, out var package) is { } failed)
        {
            return failed;
        }
        var (contents, bytes) = package;
        var path = file ?? $"{contents.Manifest.Name}-{contents.Manifest.Version}{BundlePackage.FileExtension}";
        try
        {
            File.WriteAllBytes(path, bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: cannot write '{path}': {e.Message}");
            return ExitCodes.Usage;
        }
        if (json)
        {
            JsonOutput.Write(output, w =>
            {
                w.WriteStartObject();
                w.WriteBoolean("ok", true);
                w.WriteString("bundle", contents.Manifest.Name);
                w.WriteString("version", contents.Manifest.Version);
                w.WriteString("file", path);
                w.WriteString("digest", contents.Digest);
                w.WriteNumber("size", contents.Size);
                w.WriteNumber("files", contents.Files.Length);
                w.WriteEndObject();
            });
        }
        else
        {
            output.WriteLine($"{contents.Manifest.Name} {contents.Manifest.Version} packaged to {path}");
            output.WriteLine($"  digest {contents.Digest}");
            output.WriteLine($"  {contents.Size} bytes, {contents.Files.Length} file{(contents.Files.Length == 1 ? "" : "s")}");
        }
        return ExitCodes.Success;
    }

    /// <summary>Builds the package of a bundle folder in memory, with every check of <c>bundle validate</c> (scripts,
    /// types, templates, executables): a package that would fail at run time is not built. Answers null and the
    /// package, or the exit code after the problems were written.</summary>
    internal static int? Build(string directory, bool json, TextWriter output, TextWriter error, out (PackageContents Contents, byte[] Bytes) package)
    {
        package = default;
        if (!Directory.Exists(directory))
        {
            error.WriteLine($"error: '{directory}' is not a bundle folder.");
            return ExitCodes.Usage;
        }
        using var buffer = new MemoryStream();
        var result = BundlePackage.Create(directory, buffer);
        if (!result.Succeeded)
        {
            return PackageFailed(result, json, output, error);
        }
        if (CheckCode(ManifestLoader.LoadDirectory(directory), directory, directory) is { Manifest: null } broken)
        {
            WriteWarnings(broken.Warnings, error);
            WriteErrors(broken, json, output, error);
            return ExitCodes.Failure;
        }
        package = (result.Contents, buffer.ToArray());
        return null;
    }

    static int PackageFailed(PackageResult result, bool json, TextWriter output, TextWriter error)
    {
        if (result.ManifestErrors.Length > 0)
        {
            WriteErrors(new ManifestResult(null, result.ManifestErrors), json, output, error);
        }
        else if (json)
        {
            JsonOutput.Write(output, w =>
            {
                w.WriteStartObject();
                w.WriteBoolean("ok", false);
                w.WriteStartObject("error");
                w.WriteString("message", result.Error);
                w.WriteEndObject();
                w.WriteEndObject();
            });
        }
        else
        {
            error.WriteLine($"error: {result.Error}");
        }
        return ExitCodes.Failure;
    }

    /// <summary>Writes warnings as compilers do (<c>file:line:column: warning: message</c>) to standard error.</summary>
    internal static void WriteWarnings(IEnumerable<ManifestError> warnings, TextWriter error)
    {
        foreach (var warning in warnings)
        {
            error.WriteLine(warning.Line > 0
                ? $"{warning.File}:{warning.Line}:{warning.Column}: warning: {warning.Message}"
                : $"{warning.File}: warning: {warning.Message}");
        }
    }

    /// <summary>Writes every error of a manifest that failed to load or validate.</summary>
    internal static void WriteErrors(ManifestResult result, bool json, TextWriter output, TextWriter error)
    {
        if (!json)
        {
            foreach (var problem in result.Errors)
            {
                error.WriteLine(problem.ToString());
            }
            error.WriteLine($"{result.Errors.Length} error{(result.Errors.Length == 1 ? "" : "s")}.");
            return;
        }
        JsonOutput.Write(output, w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("ok", false);
            w.WritePropertyName("error");
            WriteError(w, result.Errors[0]);
            w.WriteStartArray("errors");
            foreach (var problem in result.Errors)
            {
                WriteError(w, problem);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    static void WriteError(System.Text.Json.Utf8JsonWriter w, ManifestError problem)
    {
        w.WriteStartObject();
        w.WriteString("message", problem.Message);
        w.WriteNumber("line", problem.Line);
        w.WriteNumber("column", problem.Column);
        w.WriteString("file", problem.File);
        w.WriteString("pointer", problem.Pointer);
        w.WriteEndObject();
    }
}
