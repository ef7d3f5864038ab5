using System.Text.Json;
using Cog.Manifest.Packages;

namespace Cog.Cli.Tests.Offline;

/// <summary><c>bundle validate</c> fails now what would fail only when someone runs the command: scripts that do not
/// compile, templates that do not parse, command types the worker cannot load, executables that cannot run — each
/// positioned, in a folder and in a package.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // execute permission bits
public sealed class BundleCodeCheckTests : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("cogctl-checks-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>A version 6 bundle folder with <paramref name="commands"/> (YAML under <c>commands:</c>) and files.</summary>
    string Bundle(string commands, params (string Path, string Text)[] files)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root, "b" + Guid.NewGuid().ToString("N")[..8])).FullName;
        File.WriteAllText(Path.Combine(folder, "config.yaml"), "cog_bundle_version: 6\nname: greeter\ndescription: Greets\nversion: \"0.1.0\"\n" + commands);
        foreach (var (path, text) in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(folder, path))!);
            File.WriteAllText(Path.Combine(folder, path), text);
        }
        return folder;
    }

    /// <summary>The package of <paramref name="folder"/>, built by the library (cogctl bundle package refuses it).</summary>
    string Package(string folder)
    {
        var path = Path.Combine(_root, Path.GetFileName(folder) + BundlePackage.FileExtension);
        using (var file = File.Create(path))
            Assert.True(BundlePackage.Create(folder, file).Succeeded);
        return path;
    }

    static JsonElement[] Errors(CogCtlRunner.Outcome result)
    {
        Assert.Equal(1, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Output);
        return [.. doc.RootElement.GetProperty("errors").EnumerateArray().Select(e => e.Clone())];
    }

    static (string File, int Line, int Column, string Message) At(JsonElement e) =>
        (e.GetProperty("file").GetString()!, e.GetProperty("line").GetInt32(), e.GetProperty("column").GetInt32(), e.GetProperty("message").GetString()!);

    [Fact]
    public void A_script_that_does_not_compile_is_an_error_at_its_file_line_and_column_in_a_folder_and_in_a_package()
    {
        var folder = Bundle("commands:\n  hi:\n    script: scripts/hi.csx\n    rules: [allow]\n", ("scripts/hi.csx", "var a = 1;\nreturn nope;\n"));

        var inFolder = At(Assert.Single(Errors(CogCtlRunner.Run("bundle", "validate", "--json", folder))));
        var inPackage = At(Assert.Single(Errors(CogCtlRunner.Run("bundle", "validate", "--json", Package(folder)))));
        var text = CogCtlRunner.Run("bundle", "validate", folder);

        Assert.Equal((Path.Combine(folder, "scripts/hi.csx"), 2, 8), (inFolder.File, inFolder.Line, inFolder.Column));
        Assert.StartsWith("CS0103: The name 'nope' does not exist", inFolder.Message, StringComparison.Ordinal);
        Assert.Equal(("scripts/hi.csx", 2, 8, inFolder.Message), inPackage);
        Assert.StartsWith($"{Path.Combine(folder, "scripts/hi.csx")}:2:8: CS0103: ", text.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_forbidden_api_in_a_script_is_the_relays_own_diagnostic()
    {
        var folder = Bundle("commands:\n  hi:\n    script: scripts/hi.csx\n    rules: [allow]\n", ("scripts/hi.csx", "return System.IO.File.ReadAllText(\"/etc/passwd\");\n"));

        var error = At(Assert.Single(Errors(CogCtlRunner.Run("bundle", "validate", "--json", folder))));

        Assert.Equal((1, 8), (error.Line, error.Column));
        Assert.Equal("COG1001: 'System.IO.File.ReadAllText(string)' is not allowed in scripts (file system access).", error.Message);
    }

    [Fact]
    public void A_template_that_does_not_parse_is_an_error_in_its_file_or_at_its_manifest_line_plus_its_own_line()
    {
        var folder = Bundle(
            "templates:\n  inline:\n    body: |\n      {% for x in results %}\n      {{ x }}\n      {% endfr %}\ncommands:\n  hi:\n    script: scripts/hi.csx\n    rules: [allow]\n",
            ("scripts/hi.csx", "return 1;\n"), ("templates/hi.liquid", "Hello\n{% if results %}{% endfr %}\n"));

        var errors = Errors(CogCtlRunner.Run("bundle", "validate", "--json", folder)).Select(At).ToArray();
        var packaged = Errors(CogCtlRunner.Run("bundle", "validate", "--json", Package(folder))).Select(At).ToArray();

        Assert.Equal(2, errors.Length);
        // The manifest's block scalar starts on line 8 (after "body: |" on line 7): the template's line 3 is line 10.
        Assert.Equal((Path.Combine(folder, "config.yaml"), 10), (errors[0].File, errors[0].Line));
        Assert.StartsWith("The template 'inline' does not parse: ", errors[0].Message, StringComparison.Ordinal);
        Assert.Equal((Path.Combine(folder, "templates/hi.liquid"), 2), (errors[1].File, errors[1].Line));
        Assert.True(errors[1].Column > 1, errors[1].ToString());
        Assert.StartsWith("The template 'hi' does not parse: ", errors[1].Message, StringComparison.Ordinal);
        Assert.Equal([("config.yaml", 10), ("templates/hi.liquid", 2)], packaged.Select(e => (e.File, e.Line)));
    }

    [Fact]
    public void A_command_type_missing_from_the_assembly_or_not_a_command_is_an_error_at_the_manifest_line_naming_it()
    {
        // Cog.Sdk.dll stands in for a plug-in assembly: it holds types, none of which is a command.
        var folder = Bundle("assembly: lib/Plugin.dll\ncommands:\n  gone:\n    type: Greeter.Missing\n    rules: [allow]\n  result:\n    type: Cog.Sdk.CommandResult\n    rules: [allow]\n");
        Directory.CreateDirectory(Path.Combine(folder, "lib"));
        File.Copy(typeof(Cog.Sdk.ICommand).Assembly.Location, Path.Combine(folder, "lib", "Plugin.dll"));

        var errors = Errors(CogCtlRunner.Run("bundle", "validate", "--json", folder)).Select(At).ToArray();
        var packaged = Errors(CogCtlRunner.Run("bundle", "validate", "--json", Package(folder))).Select(At).ToArray();

        var manifest = Path.Combine(folder, "config.yaml");
        Assert.Equal([
            (manifest, 8, 11, "The type 'Greeter.Missing' was not found in the bundle's plugin assembly 'lib/Plugin.dll'."),
            (manifest, 11, 11, "The type 'Cog.Sdk.CommandResult' does not implement Cog.Sdk.ICommand.")], errors);
        Assert.Equal([("config.yaml", 8, 11), ("config.yaml", 11, 11)], packaged.Select(e => (e.File, e.Line, e.Column)));
    }

    [Fact]
    public void An_executable_that_is_not_executable_is_an_error_at_the_manifest_line_naming_it()
    {
        var folder = Bundle("commands:\n  run:\n    executable: bin/run.sh\n    rules: [allow]\n", ("bin/run.sh", "#!/bin/sh\necho hi\n"));
        File.SetUnixFileMode(Path.Combine(folder, "bin/run.sh"), UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var error = At(Assert.Single(Errors(CogCtlRunner.Run("bundle", "validate", "--json", folder))));
        var packaged = At(Assert.Single(Errors(CogCtlRunner.Run("bundle", "validate", "--json", Package(folder)))));

        Assert.Equal((Path.Combine(folder, "config.yaml"), 7, 17,
            "The executable 'bin/run.sh' is not executable: give it the execute permission (chmod +x) before packaging."), error);
        Assert.Equal(("config.yaml", 7, 17), (packaged.File, packaged.Line, packaged.Column));
    }

    [Fact]
    public void Bundle_package_refuses_a_bundle_that_would_fail_at_run_time()
    {
        var folder = Bundle("commands:\n  hi:\n    script: scripts/hi.csx\n    rules: [allow]\n", ("scripts/hi.csx", "return nope;\n"));
        var output = Path.Combine(_root, "out.cogbundle");

        var result = CogCtlRunner.Run("bundle", "package", folder, "--output", output);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"{Path.Combine(folder, "scripts/hi.csx")}:1:8: CS0103: ", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void A_bundle_whose_code_checks_pass_is_valid()
    {
        var folder = Bundle("templates:\n  hi:\n    body: \"{{ results[0] }}\"\ncommands:\n  hi:\n    script: scripts/hi.csx\n    rules: [allow]\n  run:\n    executable: bin/run.sh\n    rules: [allow]\n",
            ("scripts/hi.csx", "return Args.Count;\n"), ("bin/run.sh", "#!/bin/sh\n"));
        File.SetUnixFileMode(Path.Combine(folder, "bin/run.sh"), UnixFileMode.UserRead | UnixFileMode.UserExecute);

        var result = CogCtlRunner.Run("bundle", "validate", folder);

        Assert.Equal((0, ""), (result.ExitCode, result.Error));
    }
}
